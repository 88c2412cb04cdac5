/**
 * The logs panel's model: the query of GET /jupyter-actions/executions from the filters, the
 * rows of the list, an execution's steps as the details show them, and the chart of outcomes
 * and latency over time, shaped from the listed executions. No DOM, no JupyterLab.
 */

/** An outcome's status (jupyter_actions/outcome.py `Status`), what the status filter matches. */
export const OUTCOME_STATUSES = ['allowed', 'denied', 'suspended', 'failed'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export interface StepErrorJson {
  name: string;
  message: string;
  stack?: string | null;
  error_class?: string;
}

/** One action's part of an execution (`StepResult`). */
export interface StepJson {
  action_name: string;
  version_number: number | null;
  started_at?: string | null;
  ended_at?: string | null;
  response: {
    logs: string;
    stats: Record<string, number>;
    error: StepErrorJson | null;
  };
  commands: ReadonlyArray<Record<string, unknown>>;
  control: string;
}

/** A recorded execution (`Execution.to_json`); `event` is the input as recorded (redacted). */
export interface ExecutionJson {
  id: string;
  trigger_id: string;
  status: string;
  kind: string;
  results: ReadonlyArray<StepJson>;
  outcome: {
    status: string;
    deny?: { reason?: string | null } | string | null;
    error?: { action_name?: string; name?: string; message?: string } | null;
  };
  event: unknown;
  duration_ms: number | null;
  created_at: string;
  updated_at?: string;
}

/** What the filter bar holds; empty strings mean "any". `since`/`until` are ISO times. */
export interface ExecutionFilters {
  triggerId: string;
  status: string;
  actionName: string;
  since: string;
  until: string;
  page: number;
  perPage: number;
}

export const DEFAULT_FILTERS: ExecutionFilters = {
  triggerId: '',
  status: '',
  actionName: '',
  since: '',
  until: '',
  page: 0,
  perPage: 20
};

/** A filter the server would refuse, as one line; null when the filters are fine. */
export function filtersProblem(filters: ExecutionFilters): string | null {
  for (const key of ['since', 'until'] as const) {
    const value = filters[key];
    if (value && Number.isNaN(Date.parse(value))) {
      return `"${value}" is not a time: give ${key} as an ISO time such as 2026-01-31T09:00:00Z`;
    }
  }
  if (filters.since && filters.until && Date.parse(filters.since) >= Date.parse(filters.until)) {
    return `since (${filters.since}) must be before until (${filters.until})`;
  }
  if (filters.status && !(OUTCOME_STATUSES as ReadonlyArray<string>).includes(filters.status)) {
    return `unknown status ${filters.status}: one of ${OUTCOME_STATUSES.join(', ')}`;
  }
  if (!Number.isInteger(filters.page) || filters.page < 0) {
    return `page ${filters.page} is not a page number (0, 1, 2, ...)`;
  }
  if (!Number.isInteger(filters.perPage) || filters.perPage < 1 || filters.perPage > 100) {
    return `per page must be a whole number from 1 to 100, not ${filters.perPage}`;
  }
  return null;
}

/**
 * The path and query of GET /jupyter-actions/executions for these filters (relative to the
 * API root), flow executions only; times are sent as UTC ISO strings.
 */
export function executionsPath(filters: ExecutionFilters): string {
  const problem = filtersProblem(filters);
  if (problem !== null) {
    throw new Error(problem);
  }
  const query = new URLSearchParams();
  query.set('kind', 'flow');
  if (filters.triggerId) {
    query.set('triggerId', filters.triggerId);
  }
  if (filters.status) {
    query.set('status', filters.status);
  }
  if (filters.actionName.trim()) {
    query.set('actionName', filters.actionName.trim());
  }
  if (filters.since) {
    query.set('since', new Date(filters.since).toISOString());
  }
  if (filters.until) {
    query.set('until', new Date(filters.until).toISOString());
  }
  query.set('page', String(filters.page));
  query.set('per_page', String(filters.perPage));
  return `jupyter-actions/executions?${query.toString()}`;
}

/** Whether a further page may exist (the list answers no total: a full page says maybe). */
export function hasNextPage(listed: number, filters: ExecutionFilters): boolean {
  return listed >= filters.perPage;
}

/** One line of the list. */
export interface ExecutionRow {
  id: string;
  createdAt: string;
  trigger: string;
  outcome: string;
  actions: string[];
  durationMs: number | null;
  /** Why it was denied, or which action failed and how; empty when allowed. */
  summary: string;
}

export function rowOf(execution: ExecutionJson): ExecutionRow {
  return {
    id: execution.id,
    createdAt: execution.created_at,
    trigger: execution.trigger_id,
    outcome: execution.outcome.status,
    actions: execution.results.map(r => r.action_name),
    durationMs: execution.duration_ms,
    summary: summaryOf(execution)
  };
}

function summaryOf(execution: ExecutionJson): string {
  const { deny, error } = execution.outcome;
  if (error) {
    const where = error.action_name ? `${error.action_name}: ` : '';
    return `${where}${error.name ?? 'Error'}: ${error.message ?? ''}`.trim();
  }
  if (deny) {
    return typeof deny === 'string' ? deny : (deny.reason ?? 'denied');
  }
  return '';
}

/** One action's step as the details show it. */
export interface StepView {
  actionName: string;
  version: number | null;
  logs: string;
  stats: Array<[string, number]>;
  error: string | null;
  stack: string | null;
  commands: string[];
  control: string;
}

export function stepsOf(execution: ExecutionJson): StepView[] {
  return execution.results.map(step => {
    const error = step.response.error;
    return {
      actionName: step.action_name,
      version: step.version_number,
      logs: step.response.logs,
      stats: Object.entries(step.response.stats ?? {}).filter(
        (entry): entry is [string, number] => typeof entry[1] === 'number'
      ),
      error: error ? `${error.name}: ${error.message}` : null,
      stack: error?.stack ?? null,
      commands: step.commands.map(commandLine),
      control: step.control
    };
  });
}

/** A command as one line: its type, then its other fields as key=JSON. */
export function commandLine(command: Record<string, unknown>): string {
  const { type, ...rest } = command;
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return [String(type ?? '?'), ...fields].join(' ');
}

/** A time slice of the chart. */
export interface ChartBucket {
  start: number;
  end: number;
  counts: Record<OutcomeStatus, number>;
  total: number;
  /** Median and largest `duration_ms` of the bucket's executions (null: none had one). */
  medianMs: number | null;
  maxMs: number | null;
}

/**
 * The executions spread over `count` equal time slices, from the oldest to the newest
 * `created_at` (one slice of one second when they all share a time). Unknown outcome statuses
 * count in `total` only.
 */
export function chartBuckets(
  executions: ReadonlyArray<Pick<ExecutionJson, 'created_at' | 'outcome' | 'duration_ms'>>,
  count: number = 12
): ChartBucket[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`a chart needs a whole number of slices (1 or more), not ${count}`);
  }
  const timed = executions
    .map(e => ({ at: Date.parse(e.created_at), e }))
    .filter(t => !Number.isNaN(t.at));
  if (timed.length === 0) {
    return [];
  }
  const first = Math.min(...timed.map(t => t.at));
  const last = Math.max(...timed.map(t => t.at));
  const slices = last === first ? 1 : count;
  const width = last === first ? 1000 : (last - first) / slices;
  const buckets: ChartBucket[] = [];
  const durations: number[][] = [];
  for (let i = 0; i < slices; i++) {
    buckets.push({
      start: first + i * width,
      end: i === slices - 1 ? Math.max(last, first + width) : first + (i + 1) * width,
      counts: { allowed: 0, denied: 0, suspended: 0, failed: 0 },
      total: 0,
      medianMs: null,
      maxMs: null
    });
    durations.push([]);
  }
  for (const { at, e } of timed) {
    const i = Math.min(slices - 1, Math.floor((at - first) / width));
    const bucket = buckets[i];
    bucket.total += 1;
    const status = e.outcome.status as OutcomeStatus;
    if ((OUTCOME_STATUSES as ReadonlyArray<string>).includes(status)) {
      bucket.counts[status] += 1;
    }
    if (typeof e.duration_ms === 'number' && Number.isFinite(e.duration_ms)) {
      durations[i].push(e.duration_ms);
    }
  }
  buckets.forEach((bucket, i) => {
    const sorted = durations[i].sort((a, b) => a - b);
    if (sorted.length > 0) {
      const mid = Math.floor(sorted.length / 2);
      bucket.medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
      bucket.maxMs = sorted[sorted.length - 1];
    }
  });
  return buckets;
}

/** A rectangle of the chart, in SVG user units. */
export interface ChartRect {
  x: number;
  y: number;
  width: number;
  height: number;
  status: OutcomeStatus;
  count: number;
}

export interface ChartGeometry {
  width: number;
  height: number;
  /** Stacked bars: one rectangle per non-empty outcome of each bucket. */
  rects: ChartRect[];
  /** The median latency as SVG polyline points ("x,y x,y"), buckets without one skipped. */
  latencyPoints: string;
  maxCount: number;
  maxLatencyMs: number;
}

/**
 * The chart drawn in a `width` × `height` box: bars of outcome counts (scaled to the largest
 * bucket) and a line of median latency (scaled to the largest median). y grows downwards.
 */
export function chartGeometry(
  buckets: ReadonlyArray<ChartBucket>,
  width: number,
  height: number
): ChartGeometry {
  const maxCount = Math.max(0, ...buckets.map(b => b.total));
  const medians = buckets.map(b => b.medianMs).filter((m): m is number => m !== null);
  const maxLatencyMs = Math.max(0, ...medians);
  const slot = buckets.length > 0 ? width / buckets.length : 0;
  const barWidth = Math.min(slot * 0.7, MAX_BAR_WIDTH);
  const rects: ChartRect[] = [];
  const points: string[] = [];
  buckets.forEach((bucket, i) => {
    const x = i * slot + (slot - barWidth) / 2;
    let y = height;
    for (const status of OUTCOME_STATUSES) {
      const count = bucket.counts[status];
      if (count === 0 || maxCount === 0) {
        continue;
      }
      const h = (count / maxCount) * height;
      y -= h;
      rects.push({ x: round(x), y: round(y), width: round(barWidth), height: round(h), status, count });
    }
    if (bucket.medianMs !== null) {
      const ly = maxLatencyMs > 0 ? height - (bucket.medianMs / maxLatencyMs) * height : height;
      points.push(`${round(i * slot + slot / 2)},${round(ly)}`);
    }
  });
  return { width, height, rects, latencyPoints: points.join(' '), maxCount, maxLatencyMs };
}

/** Bars no wider than this (SVG units), so a single slice is not one slab. */
export const MAX_BAR_WIDTH = 48;

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
