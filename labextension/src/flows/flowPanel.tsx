/**
 * The flow editor (main area), as Auth0's: the triggers on the left; for the chosen trigger
 * its bound actions as cards in order with the version each runs, between Start and
 * Complete. Drag a card (pointer events, so a mouse, a pen or Playwright's mouse all work) or
 * press Alt+Up / Alt+Down on a focused card to reorder; add from the trigger's deployed
 * actions; remove; Apply sends FlowModel.apply() as the PATCH body, Discard drops the edits.
 * Every rule lives in FlowModel (src/models/flow.ts) and on the server.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ActionsApi, errorLine, IAction, ITrigger } from '../api';
import { actionsIcon } from '../icons';
import type { BindingJson } from '../models/json';
import {
  FlowAction,
  FlowModel,
  flowActionOfAction,
  flowActionsOfBindings
} from '../models/flow';

export const FLOW_PANEL_ID = 'jupyter-actions-flow';
/** Pixels a pressed pointer travels before a press becomes a drag. */
const DRAG_THRESHOLD = 5;

interface IDrag {
  from: number;
  pointerId: number;
  startY: number;
  /** The vertical middles of every card when the drag began. */
  middles: number[];
  active: boolean;
  /** Where the card would land (FlowModel.move's `to`). */
  to: number;
}

export class FlowPanel extends ReactWidget {
  private triggers: ITrigger[] = [];
  private model: FlowModel | null = null;
  private deployed: FlowAction[] = [];
  private error = '';
  private busy = false;
  private loading = false;
  private drag: IDrag | null = null;
  /** The card to focus after the next render (keyboard reordering keeps the focus). */
  private focusName: string | null = null;
  private listNode: HTMLOListElement | null = null;

  constructor(private readonly api: ActionsApi) {
    super();
    this.id = FLOW_PANEL_ID;
    this.title.label = 'Flows';
    this.title.caption = 'Jupyter Actions: flow editor';
    this.title.icon = actionsIcon;
    this.title.closable = true;
    this.addClass('jp-ActionsFlow');
  }

  get triggerId(): string | null {
    return this.model?.triggerId ?? null;
  }

  /** Shows `triggerId`'s flow; refused while another trigger's flow has pending changes. */
  async open(triggerId: string): Promise<void> {
    if (this.model !== null && this.model.triggerId !== triggerId && this.model.isDirty) {
      this.error = `The flow of ${this.model.triggerId} has pending changes: Apply or Discard them before opening ${triggerId}`;
      this.update();
      return;
    }
    this.loading = true;
    this.error = '';
    if (this.model?.triggerId !== triggerId) {
      this.model = new FlowModel(triggerId);
      this.deployed = [];
    }
    this.update();
    try {
      if (this.triggers.length === 0) {
        const answer = await this.api.request<{ triggers: ITrigger[] }>('actions/triggers');
        this.triggers = answer.triggers;
      }
      const trigger = encodeURIComponent(triggerId);
      const [bound, actions] = await Promise.all([
        this.api.request<{ bindings: BindingJson[] }>(`actions/triggers/${trigger}/bindings?per_page=100`),
        this.api.request<{ actions: IAction[] }>(
          `actions/actions?triggerId=${trigger}&deployed=true&per_page=100`
        )
      ]);
      if (this.model?.triggerId !== triggerId) {
        return; // another trigger was chosen meanwhile
      }
      this.model.load(flowActionsOfBindings(bound.bindings));
      this.deployed = actions.actions
        .filter(a => a.deployed_version !== null)
        .map(a => flowActionOfAction(a, triggerId))
        .sort((a, b) => a.actionName.localeCompare(b.actionName));
    } catch (failure) {
      this.error = errorLine(failure);
    } finally {
      this.loading = false;
      this.update();
    }
  }

  private async apply(): Promise<void> {
    const model = this.model;
    if (model === null || !model.isDirty) {
      return;
    }
    this.busy = true;
    this.error = '';
    this.update();
    try {
      const answer = await this.api.request<{ bindings: BindingJson[] }>(
        `actions/triggers/${encodeURIComponent(model.triggerId)}/bindings`,
        { method: 'PATCH', body: JSON.stringify(model.apply()) }
      );
      model.discard(); // the server's flow is now the pending one
      model.load(flowActionsOfBindings(answer.bindings));
    } catch (failure) {
      this.error = errorLine(failure);
    } finally {
      this.busy = false;
      this.update();
    }
  }

  private edit(change: (model: FlowModel) => void): void {
    if (this.model === null) {
      return;
    }
    try {
      change(this.model);
      this.error = '';
    } catch (failure) {
      this.error = errorLine(failure);
    }
    this.update();
  }

  // drag and drop ----------------------------------------------------------------------
  private onPointerDown(event: React.PointerEvent<HTMLLIElement>, index: number): void {
    if (event.button !== 0 || this.busy || (event.target as HTMLElement).closest('button')) {
      return;
    }
    const cards: ArrayLike<HTMLElement> = this.listNode?.querySelectorAll<HTMLElement>('.jp-ActionsFlow-card') ?? [];
    const middles = Array.from(cards).map(card => {
      const box = card.getBoundingClientRect();
      return box.top + box.height / 2;
    });
    this.drag = { from: index, pointerId: event.pointerId, startY: event.clientY, middles, active: false, to: index };
    window.addEventListener('pointermove', this.onPointerMove);
    window.addEventListener('pointerup', this.onPointerUp);
    window.addEventListener('pointercancel', this.onPointerCancel);
    window.addEventListener('keydown', this.onDragKey, true);
  }

  private onPointerMove = (event: PointerEvent): void => {
    const drag = this.drag;
    if (drag === null || event.pointerId !== drag.pointerId) {
      return;
    }
    if (!drag.active && Math.abs(event.clientY - drag.startY) < DRAG_THRESHOLD) {
      return;
    }
    event.preventDefault();
    drag.active = true;
    // the dragged card lands after every other card whose middle is above the pointer
    const to = drag.middles.filter((middle, i) => i !== drag.from && middle < event.clientY).length;
    if (to !== drag.to || !this.node.classList.contains('jp-mod-dragging')) {
      drag.to = to;
      this.node.classList.add('jp-mod-dragging');
      this.update();
    }
  };

  private onPointerUp = (event: PointerEvent): void => {
    const drag = this.drag;
    if (drag === null || event.pointerId !== drag.pointerId) {
      return;
    }
    this.endDrag();
    if (drag.active && drag.to !== drag.from) {
      this.edit(model => model.move(drag.from, drag.to));
    }
  };

  private onPointerCancel = (): void => this.endDrag();

  private onDragKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.drag !== null) {
      event.stopPropagation();
      this.endDrag();
    }
  };

  private endDrag(): void {
    this.drag = null;
    this.node.classList.remove('jp-mod-dragging');
    window.removeEventListener('pointermove', this.onPointerMove);
    window.removeEventListener('pointerup', this.onPointerUp);
    window.removeEventListener('pointercancel', this.onPointerCancel);
    window.removeEventListener('keydown', this.onDragKey, true);
    this.update();
  }

  private onCardKey(event: React.KeyboardEvent<HTMLLIElement>, index: number, name: string): void {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    const to = index + (event.key === 'ArrowUp' ? -1 : 1);
    if (this.model === null || to < 0 || to >= this.model.pending.length) {
      return;
    }
    this.focusName = name;
    this.edit(model => model.move(index, to));
  }

  dispose(): void {
    if (this.drag !== null) {
      this.endDrag();
    }
    super.dispose();
  }

  // rendering ----------------------------------------------------------------------------
  /** Where the drop line shows: before the card at this index of the list (or after all). */
  private dropGap(): number | null {
    const drag = this.drag;
    if (drag === null || !drag.active) {
      return null;
    }
    const others = drag.middles.map((_, i) => i).filter(i => i !== drag.from);
    return drag.to < others.length ? others[drag.to] : drag.middles.length;
  }

  render(): JSX.Element {
    const model = this.model;
    return (
      <div className="jp-ActionsFlow-body">
        <nav className="jp-ActionsFlow-triggers" aria-label="Triggers">
          <h2 className="jp-ActionsFlow-heading">Triggers</h2>
          <ul>
            {this.triggers.map(t => (
              <li key={t.id}>
                <button
                  type="button"
                  className="jp-ActionsFlow-trigger"
                  aria-current={t.id === model?.triggerId ? 'page' : undefined}
                  data-trigger={t.id}
                  onClick={() => void this.open(t.id)}
                >
                  {t.id}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <section className="jp-ActionsFlow-main" aria-label="Flow">
          {model === null ? (
            <p className="jp-ActionsFlow-note">Choose a trigger to see its flow.</p>
          ) : (
            this.renderFlow(model)
          )}
        </section>
      </div>
    );
  }

  private renderFlow(model: FlowModel): JSX.Element {
    const cards = model.cards();
    const removed = model.removed();
    const addable = model.addable(this.deployed);
    const gap = this.dropGap();
    const changes = cards.filter(c => c.state !== 'unchanged').length + removed.length;
    return (
      <>
        <header className="jp-ActionsFlow-header">
          <h2 className="jp-ActionsFlow-heading">Flow: {model.triggerId}</h2>
          <span className="jp-ActionsFlow-pending" aria-live="polite">
            {model.isDirty
              ? `${changes} pending change${changes === 1 ? '' : 's'}, not applied`
              : 'No pending changes'}
          </span>
          <button
            type="button"
            className="jp-mod-styled jp-mod-reject jp-ActionsFlow-discard"
            disabled={!model.isDirty || this.busy}
            onClick={() => this.edit(m => m.discard())}
          >
            Discard
          </button>
          <button
            type="button"
            className="jp-mod-styled jp-mod-accept jp-ActionsFlow-apply"
            disabled={!model.isDirty || this.busy}
            onClick={() => void this.apply()}
          >
            {this.busy ? 'Applying…' : 'Apply'}
          </button>
        </header>
        {this.error && (
          <div className="jp-ActionsFlow-error" role="alert">
            {this.error}
          </div>
        )}
        <div className="jp-ActionsFlow-columns">
          <div className="jp-ActionsFlow-flow">
            <div className="jp-ActionsFlow-terminal">Start</div>
            {this.loading && cards.length === 0 && <p className="jp-ActionsFlow-note">Loading…</p>}
            {!this.loading && cards.length === 0 && (
              <p className="jp-ActionsFlow-note">No action runs on {model.triggerId}: add a deployed one.</p>
            )}
            <ol
              className="jp-ActionsFlow-cards"
              aria-label={`Actions of ${model.triggerId}, in order`}
              ref={node => {
                this.listNode = node;
              }}
            >
              {cards.map((card, index) => {
                const classes = ['jp-ActionsFlow-card', `jp-mod-${card.state}`];
                if (this.drag?.active && this.drag.from === index) {
                  classes.push('jp-mod-lifted');
                }
                if (gap === index) {
                  classes.push('jp-mod-dropBefore');
                }
                if (gap === cards.length && index === cards.length - 1) {
                  classes.push('jp-mod-dropAfter');
                }
                return (
                  <li
                    key={card.actionName}
                    className={classes.join(' ')}
                    data-action={card.actionName}
                    data-state={card.state}
                    tabIndex={0}
                    aria-roledescription="reorderable card"
                    aria-label={`${index + 1}. ${card.actionName}, version ${card.version ?? 'none'}${
                      card.state === 'unchanged' ? '' : `, ${card.state}`
                    }. Alt+Up or Alt+Down moves it.`}
                    ref={node => {
                      if (node !== null && this.focusName === card.actionName) {
                        this.focusName = null;
                        node.focus();
                      }
                    }}
                    onPointerDown={e => this.onPointerDown(e, index)}
                    onKeyDown={e => this.onCardKey(e, index, card.actionName)}
                  >
                    <span className="jp-ActionsFlow-grip" aria-hidden="true">
                      ⠿
                    </span>
                    <span className="jp-ActionsFlow-name">{card.actionName}</span>
                    <span className="jp-ActionsFlow-version">v{card.version ?? '?'}</span>
                    {card.state !== 'unchanged' && (
                      <span className={`jp-ActionsFlow-state jp-mod-${card.state}`}>{card.state}</span>
                    )}
                    <button
                      type="button"
                      className="jp-ActionsFlow-remove"
                      title={`Remove ${card.actionName} from the flow`}
                      aria-label={`Remove ${card.actionName}`}
                      disabled={this.busy}
                      onClick={() => this.edit(m => void m.remove(index))}
                    >
                      ×
                    </button>
                  </li>
                );
              })}
            </ol>
            <div className="jp-ActionsFlow-terminal">Complete</div>
            {removed.length > 0 && (
              <div className="jp-ActionsFlow-removed">
                <h3 className="jp-ActionsFlow-subheading">Removed (on Apply)</h3>
                <ul>
                  {removed.map(r => (
                    <li key={r.actionName} data-action={r.actionName}>
                      <span className="jp-ActionsFlow-name">{r.actionName}</span> v{r.version ?? '?'} (was{' '}
                      {r.appliedIndex + 1})
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
          <aside className="jp-ActionsFlow-add" aria-label="Add an action">
            <h3 className="jp-ActionsFlow-subheading">Deployed actions of {model.triggerId}</h3>
            {addable.length === 0 ? (
              <p className="jp-ActionsFlow-note">
                {this.deployed.length === 0
                  ? 'No deployed action for this trigger.'
                  : 'Every deployed action is in the flow.'}
              </p>
            ) : (
              <ul>
                {addable.map(action => (
                  <li key={action.actionName} data-action={action.actionName}>
                    <span className="jp-ActionsFlow-name">{action.actionName}</span>
                    <span className="jp-ActionsFlow-version">v{action.version}</span>
                    <button
                      type="button"
                      className="jp-mod-styled jp-ActionsFlow-addButton"
                      aria-label={`Add ${action.actionName}`}
                      disabled={this.busy}
                      onClick={() => this.edit(m => m.add(action))}
                    >
                      Add
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </aside>
        </div>
        <p className="jp-ActionsFlow-hint">
          Drag a card, or focus it and press Alt+Up / Alt+Down, to change the order. Nothing changes
          until Apply.
        </p>
      </>
    );
  }
}
