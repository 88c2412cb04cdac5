/**
 * The action editor's pure parts: the header's draft state, the Test tab's reading of an
 * execution (POST /actions/actions/{id}/test answers `{payload: <execution>}`, the shape of
 * `Execution.to_json`), dependency pins, and the cells of "Open as Notebook".
 */

/** One command an action issued (`api.access.deny(...)` is `{type: 'access.deny', reason}`). */
export interface CommandJson {
  type: string;
  [field: string]: unknown;
}

export interface ErrorJson {
  name?: string;
  message: string;
  stack?: string | null;
  error_class?: string;
}

export interface ResultJson {
  action_name: string;
  version_number: number | null;
  response: {
    logs: string;
    stats: { [name: string]: number };
    error: ErrorJson | null;
  };
  commands: CommandJson[];
  control?: string;
}

export interface ExecutionJson {
  id: string;
  trigger_id: string;
  status: string;
  results: ResultJson[];
  outcome: {
    status: string;
    deny: { reason?: string; [field: string]: unknown } | null;
    error: { message?: string; [field: string]: unknown } | null;
  };
}

export type DraftState = 'unsaved changes' | 'up to date';

/** The header's state, as Auth0's editor shows it: the text in the editor against the saved draft. */
export function draftState(saved: string, current: string): DraftState {
  return saved === current ? 'up to date' : 'unsaved changes';
}

export type BadgeKind = 'allowed' | 'denied' | 'error' | 'suspended' | 'unknown';

export interface Badge {
  kind: BadgeKind;
  /** One line: "denied: blocked domain". */
  label: string;
}

/** The outcome of a test as one badge. An action that raised is an error whatever the status. */
export function outcomeBadge(execution: ExecutionJson): Badge {
  const raised = execution.results.find(r => r.response.error !== null);
  const outcome = execution.outcome;
  if (raised && raised.response.error) {
    const error = raised.response.error;
    return { kind: 'error', label: `error: ${oneLine(`${error.name ? `${error.name}: ` : ''}${error.message}`)}` };
  }
  switch (outcome.status) {
    case 'allowed':
      return { kind: 'allowed', label: 'allowed' };
    case 'denied': {
      const reason = outcome.deny?.reason;
      return { kind: 'denied', label: reason ? `denied: ${oneLine(String(reason))}` : 'denied' };
    }
    case 'error':
    case 'failed':
      return { kind: 'error', label: `error: ${oneLine(String(outcome.error?.message ?? 'the flow failed'))}` };
    case 'suspended':
      return { kind: 'suspended', label: 'suspended (redirect or challenge)' };
    default:
      return { kind: 'unknown', label: outcome.status };
  }
}

export interface CommandRow {
  action: string;
  type: string;
  /** The command's other fields as compact JSON, e.g. `{"reason":"blocked"}`. */
  detail: string;
}

/** Every command of every action, in order, for the commands table. */
export function commandRows(execution: ExecutionJson): CommandRow[] {
  const rows: CommandRow[] = [];
  for (const result of execution.results) {
    for (const command of result.commands) {
      const { type, ...rest } = command;
      rows.push({
        action: result.action_name,
        type,
        detail: Object.keys(rest).length ? JSON.stringify(rest) : ''
      });
    }
  }
  return rows;
}

export interface Pin {
  name: string;
  version: string;
}

export type PinResult = { ok: true; pin: Pin } | { ok: false; error: string };

const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** A dependency from the form's name and version fields (trimmed; both required). */
export function parsePin(name: string, version: string): PinResult {
  const n = name.trim();
  const v = version.trim();
  if (!n) {
    return { ok: false, error: 'a dependency needs a package name' };
  }
  if (!NAME.test(n)) {
    return { ok: false, error: `'${n}' is not a package name (letters, digits, '.', '_', '-')` };
  }
  if (!v) {
    return { ok: false, error: `give the version of ${n} to pin, e.g. 2.31.0` };
  }
  if (/\s/.test(v)) {
    return { ok: false, error: 'a version holds no spaces' };
  }
  return { ok: true, pin: { name: n, version: v } };
}

/** The pins with `pin` added, or replacing the pin of the same (case-insensitive) name. */
export function withPin(pins: readonly Pin[], pin: Pin): Pin[] {
  const key = normalise(pin.name);
  const kept = pins.filter(p => normalise(p.name) !== key);
  return [...kept, pin].sort((a, b) => normalise(a.name).localeCompare(normalise(b.name)));
}

export function withoutPin(pins: readonly Pin[], name: string): Pin[] {
  const key = normalise(name);
  return pins.filter(p => normalise(p.name) !== key);
}

/** The sources of the cells of "Open as Notebook": the magic is loaded first, as the tutorials do. */
export function notebookCells(actionCell: string): string[] {
  return ['%load_ext jupyter_actions', actionCell.replace(/\s+$/, '') + '\n'];
}

/** A file name for the notebook of action `name`, free among `taken` names. */
export function notebookName(name: string, taken: ReadonlySet<string>): string {
  const base = name.replace(/[^A-Za-z0-9._-]+/g, '-') || 'action';
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? `${base}.ipynb` : `${base}-${i}.ipynb`;
    if (!taken.has(candidate)) {
      return candidate;
    }
  }
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function oneLine(text: string): string {
  return text.split('\n')[0];
}
