/**
 * The flow editor's model, as Auth0's flow editor behaves: the applied bindings of one
 * trigger, a pending copy the user edits (drag and drop calls `move`), the pending changes
 * shown per card, then Apply (the PATCH body) or Discard. No DOM, no JupyterLab: the panel
 * renders `cards()` and `removed()` and calls these operations.
 */
import type { ActionJson, BindingJson } from './json';

/** An action in a flow, with the deployed version it runs (null: the server bound none). */
export interface FlowAction {
  readonly actionName: string;
  readonly actionId: string;
  readonly version: number | null;
}

/** How a pending card differs from the applied flow. */
export type CardState = 'added' | 'moved' | 'unchanged';

export interface FlowCard extends FlowAction {
  readonly state: CardState;
}

/** An applied action the pending flow no longer holds, at the position it had. */
export interface RemovedCard extends FlowAction {
  readonly appliedIndex: number;
}

/** The body of PATCH /actions/triggers/{triggerId}/bindings (Auth0's shape). */
export interface BindingsUpdate {
  bindings: Array<{
    ref: { type: 'action_name'; value: string };
    display_name: string;
  }>;
}

/** A refused operation; the message is one line saying what is wrong. */
export class FlowError extends Error {
  override name = 'FlowError';
}

/** The flow as GET /actions/triggers/{triggerId}/bindings lists it (in order). */
export function flowActionsOfBindings(
  bindings: ReadonlyArray<BindingJson>
): FlowAction[] {
  return bindings.map(b => ({
    actionName: b.action.name,
    actionId: b.action.id,
    version: b.version
  }));
}

/** An action from GET /actions/actions that can join `triggerId`'s flow: deployed, same trigger. */
export function flowActionOfAction(
  action: ActionJson,
  triggerId: string
): FlowAction {
  const trigger = action.supported_triggers[0]?.id;
  if (trigger !== triggerId) {
    throw new FlowError(
      `${action.name} is an action for ${trigger ?? 'no trigger'}, not ${triggerId}: it cannot join this flow`
    );
  }
  if (action.deployed_version === null) {
    throw new FlowError(
      `${action.name} has no deployed version: deploy it before adding it to a flow`
    );
  }
  return {
    actionName: action.name,
    actionId: action.id,
    version: action.deployed_version.number
  };
}

export class FlowModel {
  private _applied: FlowAction[] = [];
  private _pending: FlowAction[] = [];
  /** Names of the cards the user dragged since the last Apply or Discard. */
  private _dragged = new Set<string>();

  constructor(
    readonly triggerId: string,
    applied: ReadonlyArray<FlowAction> = []
  ) {
    this.load(applied);
  }

  get applied(): ReadonlyArray<FlowAction> {
    return this._applied;
  }

  get pending(): ReadonlyArray<FlowAction> {
    return this._pending;
  }

  /** Whether Apply would change the flow (the order of action names differs). */
  get isDirty(): boolean {
    return !sameOrder(this._pending, this._applied);
  }

  /**
   * Take the flow the server holds now (first load, a refresh, or the PATCH response).
   * Pending edits survive a refresh; a clean model follows the server. A pending card whose
   * action is applied takes the applied card's version.
   */
  load(applied: ReadonlyArray<FlowAction>): void {
    const next = distinct([...applied], 'the flow from the server');
    const keepEdits = this.isDirty;
    this._applied = next;
    if (keepEdits) {
      const current = new Map(next.map(a => [a.actionName, a]));
      this._pending = this._pending.map(a => current.get(a.actionName) ?? a);
    } else {
      this._pending = [...next];
    }
    if (!this.isDirty) {
      this._dragged.clear();
    }
  }

  /** Move the card at `from` so that it ends at `to` (what a drop does). */
  move(from: number, to: number): void {
    checkPosition('move from', from, this._pending.length - 1);
    checkPosition('move to', to, this._pending.length - 1);
    const [card] = this._pending.splice(from, 1);
    this._pending.splice(to, 0, card);
    if (from !== to) {
      this._dragged.add(card.actionName);
    }
  }

  /** Add a deployed action at `at` (default: last); an action appears once at most. */
  add(action: FlowAction, at: number = this._pending.length): void {
    const index = this._pending.findIndex(
      a => a.actionName === action.actionName
    );
    if (index >= 0) {
      throw new FlowError(
        `${action.actionName} is already in the flow (position ${index}): a flow runs each action once at most`
      );
    }
    if (action.version === null) {
      throw new FlowError(
        `${action.actionName} has no deployed version: deploy it before adding it to a flow`
      );
    }
    checkPosition('add at', at, this._pending.length);
    this._pending.splice(at, 0, action);
  }

  /** Remove the card at `index`; it is listed by `removed()` until Apply or Discard. */
  remove(index: number): FlowAction {
    checkPosition('remove', index, this._pending.length - 1);
    const [card] = this._pending.splice(index, 1);
    this._dragged.delete(card.actionName);
    return card;
  }

  /**
   * The pending cards with their state. The cards kept in their applied relative order form
   * the longest such sequence; among equally long ones, the one keeping the undragged cards.
   * The others are "moved": dragging one card down marks that card only.
   */
  cards(): FlowCard[] {
    const appliedIndex = new Map(
      this._applied.map((a, i) => [a.actionName, i])
    );
    const kept = inOrder(
      this._pending.map(a => appliedIndex.get(a.actionName)),
      this._pending.map(a => this._dragged.has(a.actionName))
    );
    return this._pending.map((a, i) => ({
      ...a,
      state: !appliedIndex.has(a.actionName)
        ? 'added'
        : kept.has(i)
          ? 'unchanged'
          : 'moved'
    }));
  }

  /** The applied actions the pending flow no longer has. */
  removed(): RemovedCard[] {
    const pending = new Set(this._pending.map(a => a.actionName));
    return this._applied
      .map((a, appliedIndex) => ({ ...a, appliedIndex }))
      .filter(a => !pending.has(a.actionName));
  }

  /** The deployed actions that can still be added (those not in the pending flow). */
  addable(deployed: ReadonlyArray<FlowAction>): FlowAction[] {
    const pending = new Set(this._pending.map(a => a.actionName));
    return deployed.filter(
      a => !pending.has(a.actionName) && a.version !== null
    );
  }

  /**
   * The PATCH body that makes the server's flow the pending one. The model is unchanged:
   * pass the response's bindings to `load` once the server accepts it.
   */
  apply(): BindingsUpdate {
    return {
      bindings: this._pending.map(a => ({
        ref: { type: 'action_name', value: a.actionName },
        display_name: a.actionName
      }))
    };
  }

  /** Drop every pending change. */
  discard(): void {
    this._pending = [...this._applied];
    this._dragged.clear();
  }
}

function sameOrder(
  a: ReadonlyArray<FlowAction>,
  b: ReadonlyArray<FlowAction>
): boolean {
  return (
    a.length === b.length && a.every((x, i) => x.actionName === b[i].actionName)
  );
}

function distinct(actions: FlowAction[], what: string): FlowAction[] {
  const seen = new Set<string>();
  for (const a of actions) {
    if (seen.has(a.actionName)) {
      throw new FlowError(`${what} lists ${a.actionName} twice`);
    }
    seen.add(a.actionName);
  }
  return actions;
}

function checkPosition(what: string, index: number, last: number): void {
  if (!Number.isInteger(index)) {
    throw new FlowError(
      `cannot ${what} position ${index}: a position is a whole number`
    );
  }
  if (index < 0 || index > last) {
    const range =
      last < 0 ? 'the flow is empty' : `positions run from 0 to ${last}`;
    throw new FlowError(`cannot ${what} position ${index}: ${range}`);
  }
}

/**
 * The positions of the longest subsequence whose `order` values increase (undefined ones are
 * skipped), preferring, among the longest, the one with the fewest `dragged` entries. O(n²):
 * a flow holds a few actions.
 */
function inOrder(
  order: ReadonlyArray<number | undefined>,
  dragged: ReadonlyArray<boolean>
): Set<number> {
  const n = order.length;
  const score = (i: number): number => n + 1 + (dragged[i] ? 0 : 1);
  const best: number[] = new Array(n).fill(0);
  const previous: number[] = new Array(n).fill(-1);
  let end = -1;
  for (let i = 0; i < n; i++) {
    const oi = order[i];
    if (oi === undefined) {
      continue;
    }
    best[i] = score(i);
    for (let j = 0; j < i; j++) {
      const oj = order[j];
      if (oj !== undefined && oj < oi && best[j] + score(i) > best[i]) {
        best[i] = best[j] + score(i);
        previous[i] = j;
      }
    }
    if (end < 0 || best[i] > best[end]) {
      end = i;
    }
  }
  const kept = new Set<number>();
  for (let i = end; i >= 0; i = previous[i]) {
    kept.add(i);
  }
  return kept;
}
