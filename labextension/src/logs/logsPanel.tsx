/**
 * Logs (main area), as Auth0's Monitoring > Logs for actions: the recent flow executions with
 * filters (trigger, status, action, time) and paging, a chart of outcomes and median latency
 * over the listed executions, and an execution's details (each action's logs, stats, error and
 * commands; the input event as recorded, which the server has redacted). The shaping lives in
 * src/models/executions.ts.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';
import * as React from 'react';

import { ActionsApi, errorLine, ITrigger } from '../api';
import { actionsIcon } from '../icons';
import {
  ChartBucket,
  DEFAULT_FILTERS,
  ExecutionFilters,
  ExecutionJson,
  OUTCOME_STATUSES,
  chartBuckets,
  chartGeometry,
  executionsPath,
  filtersProblem,
  hasNextPage,
  rowOf,
  stepsOf
} from '../models/executions';

export const LOGS_PANEL_ID = 'jupyter-actions-logs';
const CHART_WIDTH = 600;
const CHART_HEIGHT = 120;
const CHART_SLICES = 12;
/** How often Live asks for the first page again. */
const LIVE_INTERVAL_MS = 3000;

/** "2026-01-31T09:00" (an <input type="datetime-local">, local time) as an ISO time. */
function isoOfLocal(value: string): string {
  return value ? new Date(value).toISOString() : '';
}

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function ms(value: number | null): string {
  return value === null ? '–' : `${value < 10 ? value.toFixed(2) : Math.round(value)} ms`;
}

export class LogsPanel extends ReactWidget {
  private triggers: ITrigger[] = [];
  /** What the inputs hold; applied to `filters` by Search. */
  private draft = { triggerId: '', status: '', actionName: '', since: '', until: '' };
  private filters: ExecutionFilters = { ...DEFAULT_FILTERS };
  private executions: ExecutionJson[] | null = null;
  private selected: ExecutionJson | null = null;
  private error = '';
  private loading = false;
  /** How many lists have arrived (a test waits for the next one). */
  private generation = 0;
  /** Live: the first page is listed again every few seconds while the panel shows. */
  private live = false;
  private readonly livePoll: Poll;

  constructor(private readonly api: ActionsApi) {
    super();
    this.id = LOGS_PANEL_ID;
    this.title.label = 'Action Logs';
    this.title.caption = 'Jupyter Actions: recent executions';
    this.title.icon = actionsIcon;
    this.title.closable = true;
    this.addClass('jp-ActionsLogs');
    this.livePoll = new Poll({
      factory: () => this.refresh(),
      frequency: { interval: LIVE_INTERVAL_MS, backoff: true, max: 30_000 },
      name: 'jupyter-actions:logs-live',
      standby: () => !this.live || this.filters.page !== 0 || this.loading || !this.isVisible || 'when-hidden'
    });
  }

  dispose(): void {
    this.livePoll.dispose();
    super.dispose();
  }

  /** Lists the executions again with the filters applied. */
  async refresh(): Promise<void> {
    this.loading = true;
    this.update();
    try {
      if (this.triggers.length === 0) {
        this.triggers = (await this.api.request<{ triggers: ITrigger[] }>('actions/triggers')).triggers;
      }
      const answer = await this.api.request<{ executions: ExecutionJson[] }>(executionsPath(this.filters));
      this.executions = answer.executions;
      this.generation += 1;
      this.error = '';
    } catch (failure) {
      this.error = errorLine(failure);
    } finally {
      this.loading = false;
      this.update();
    }
  }

  private search(): void {
    const next: ExecutionFilters = {
      ...this.filters,
      ...this.draft,
      since: isoOfLocal(this.draft.since),
      until: isoOfLocal(this.draft.until),
      page: 0
    };
    const problem = filtersProblem(next);
    if (problem !== null) {
      this.error = problem;
      this.update();
      return;
    }
    this.filters = next;
    void this.refresh();
  }

  private page(step: number): void {
    this.filters = { ...this.filters, page: Math.max(0, this.filters.page + step) };
    void this.refresh();
  }

  private async showExecution(id: string): Promise<void> {
    try {
      this.selected = await this.api.request<ExecutionJson>(`actions/executions/${encodeURIComponent(id)}`);
      this.error = '';
    } catch (failure) {
      this.error = errorLine(failure);
    }
    this.update();
  }

  render(): JSX.Element {
    const executions = this.executions ?? [];
    return (
      <div className="jp-ActionsLogs-body">
        <header className="jp-ActionsLogs-header">
          <h2 className="jp-ActionsLogs-heading">Action Logs</h2>
        </header>
        <form
          className="jp-ActionsLogs-filters"
          aria-label="Filters"
          onSubmit={e => {
            e.preventDefault();
            this.search();
          }}
        >
          <label>
            Trigger
            <select
              className="jp-mod-styled"
              name="triggerId"
              value={this.draft.triggerId}
              onChange={e => this.setDraft('triggerId', e.target.value)}
            >
              <option value="">any</option>
              {this.triggers.map(t => (
                <option key={t.id} value={t.id}>
                  {t.id}
                </option>
              ))}
            </select>
          </label>
          <label>
            Status
            <select
              className="jp-mod-styled"
              name="status"
              value={this.draft.status}
              onChange={e => this.setDraft('status', e.target.value)}
            >
              <option value="">any</option>
              {OUTCOME_STATUSES.map(s => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Action
            <input
              className="jp-mod-styled"
              name="actionName"
              placeholder="name"
              value={this.draft.actionName}
              onChange={e => this.setDraft('actionName', e.target.value)}
            />
          </label>
          <label>
            Since
            <input
              className="jp-mod-styled"
              type="datetime-local"
              name="since"
              value={this.draft.since}
              onChange={e => this.setDraft('since', e.target.value)}
            />
          </label>
          <label>
            Until
            <input
              className="jp-mod-styled"
              type="datetime-local"
              name="until"
              value={this.draft.until}
              onChange={e => this.setDraft('until', e.target.value)}
            />
          </label>
          <button type="submit" className="jp-mod-styled jp-mod-accept jp-ActionsLogs-search">
            Search
          </button>
          <label className="jp-ActionsLogs-live" title="List the newest executions again every 3 s (first page)">
            <input
              type="checkbox"
              name="live"
              checked={this.live}
              onChange={e => {
                this.live = e.target.checked;
                this.update();
                if (this.live) {
                  void this.livePoll.refresh();
                }
              }}
            />
            Live
          </label>
        </form>
        {this.error && (
          <div className="jp-ActionsLogs-error" role="alert">
            {this.error}
          </div>
        )}
        <OutcomeChart buckets={chartBuckets(executions, CHART_SLICES)} />
        <div className="jp-ActionsLogs-columns">
          <div className="jp-ActionsLogs-list">
            <table
              className="jp-ActionsLogs-table"
              aria-busy={this.loading}
              data-generation={this.generation}
            >
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Trigger</th>
                  <th>Outcome</th>
                  <th>Actions</th>
                  <th>Duration</th>
                  <th>Detail</th>
                </tr>
              </thead>
              <tbody>
                {executions.map(execution => {
                  const row = rowOf(execution);
                  return (
                    <tr
                      key={row.id}
                      className={`jp-ActionsLogs-row${this.selected?.id === row.id ? ' jp-mod-selected' : ''}`}
                      data-execution={row.id}
                      data-outcome={row.outcome}
                      tabIndex={0}
                      aria-label={`Execution ${row.id}, ${row.outcome}`}
                      onClick={() => void this.showExecution(row.id)}
                      onKeyDown={e => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          void this.showExecution(row.id);
                        }
                      }}
                    >
                      <td>{timeOf(row.createdAt)}</td>
                      <td>{row.trigger}</td>
                      <td>
                        <span className={`jp-ActionsLogs-outcome jp-mod-${row.outcome}`}>{row.outcome}</span>
                      </td>
                      <td>{row.actions.join(' → ')}</td>
                      <td>{ms(row.durationMs)}</td>
                      <td className="jp-ActionsLogs-summary">{row.summary}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {this.executions !== null && executions.length === 0 && (
              <p className="jp-ActionsLogs-note">No execution matches.</p>
            )}
            {this.loading && <p className="jp-ActionsLogs-note">Loading…</p>}
            <nav className="jp-ActionsLogs-pager" aria-label="Pages">
              <button
                type="button"
                className="jp-mod-styled"
                disabled={this.filters.page === 0 || this.loading}
                onClick={() => this.page(-1)}
              >
                Newer
              </button>
              <span>Page {this.filters.page + 1}</span>
              <button
                type="button"
                className="jp-mod-styled"
                disabled={!hasNextPage(executions.length, this.filters) || this.loading}
                onClick={() => this.page(1)}
              >
                Older
              </button>
            </nav>
          </div>
          {this.selected !== null && <ExecutionDetails execution={this.selected} />}
        </div>
      </div>
    );
  }

  private setDraft(key: keyof LogsPanel['draft'], value: string): void {
    this.draft = { ...this.draft, [key]: value };
    this.update();
  }
}

const COLORS: Record<string, string> = {
  allowed: 'var(--jp-success-color1)',
  denied: 'var(--jp-warn-color1)',
  suspended: 'var(--jp-info-color1)',
  failed: 'var(--jp-error-color1)'
};

function OutcomeChart(props: { buckets: ChartBucket[] }): JSX.Element {
  const { buckets } = props;
  const g = chartGeometry(buckets, CHART_WIDTH, CHART_HEIGHT);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  return (
    <figure className="jp-ActionsLogs-chart">
      <svg
        viewBox={`-40 -10 ${CHART_WIDTH + 90} ${CHART_HEIGHT + 30}`}
        role="img"
        aria-label={`Outcomes and median latency of ${buckets.reduce((n, b) => n + b.total, 0)} executions`}
      >
        <line x1={0} y1={CHART_HEIGHT} x2={CHART_WIDTH} y2={CHART_HEIGHT} className="jp-ActionsLogs-axis" />
        <line x1={0} y1={0} x2={0} y2={CHART_HEIGHT} className="jp-ActionsLogs-axis" />
        <text x={-6} y={8} textAnchor="end" className="jp-ActionsLogs-tick">
          {g.maxCount}
        </text>
        <text x={-6} y={CHART_HEIGHT} textAnchor="end" className="jp-ActionsLogs-tick">
          0
        </text>
        {g.maxLatencyMs > 0 && (
          <text x={CHART_WIDTH + 6} y={8} className="jp-ActionsLogs-tick">
            {ms(g.maxLatencyMs)}
          </text>
        )}
        {g.rects.map((r, i) => (
          <rect
            key={i}
            x={r.x}
            y={r.y}
            width={r.width}
            height={r.height}
            fill={COLORS[r.status]}
            data-status={r.status}
          >
            <title>{`${r.count} ${r.status}`}</title>
          </rect>
        ))}
        {g.latencyPoints && (
          <polyline points={g.latencyPoints} className="jp-ActionsLogs-latency" fill="none" />
        )}
        {first && (
          <text x={0} y={CHART_HEIGHT + 14} className="jp-ActionsLogs-tick">
            {new Date(first.start).toLocaleTimeString()}
          </text>
        )}
        {last && buckets.length > 1 && (
          <text x={CHART_WIDTH} y={CHART_HEIGHT + 14} textAnchor="end" className="jp-ActionsLogs-tick">
            {new Date(last.end).toLocaleTimeString()}
          </text>
        )}
      </svg>
      <figcaption className="jp-ActionsLogs-legend">
        {OUTCOME_STATUSES.map(s => (
          <span key={s}>
            <span className="jp-ActionsLogs-swatch" style={{ background: COLORS[s] }} /> {s}
          </span>
        ))}
        <span>
          <span className="jp-ActionsLogs-swatch jp-mod-line" /> median latency
        </span>
        {buckets.length === 0 && <span>(no execution listed)</span>}
      </figcaption>
    </figure>
  );
}

function ExecutionDetails(props: { execution: ExecutionJson }): JSX.Element {
  const { execution } = props;
  const row = rowOf(execution);
  return (
    <section className="jp-ActionsLogs-details" aria-label={`Execution ${execution.id}`}>
      <h3 className="jp-ActionsLogs-subheading">
        Execution <code>{execution.id}</code>
      </h3>
      <p>
        {execution.trigger_id} · {timeOf(execution.created_at)} · status {execution.status} · outcome{' '}
        <span className={`jp-ActionsLogs-outcome jp-mod-${row.outcome}`}>{row.outcome}</span> ·{' '}
        {ms(execution.duration_ms)}
      </p>
      {row.summary && <p className="jp-ActionsLogs-summary">{row.summary}</p>}
      {stepsOf(execution).map((step, i) => (
        <article key={i} className="jp-ActionsLogs-step" data-action={step.actionName}>
          <h4>
            {i + 1}. {step.actionName} v{step.version ?? '?'} <small>({step.control})</small>
          </h4>
          {step.error && <div className="jp-ActionsLogs-stepError">{step.error}</div>}
          {step.stack && <pre className="jp-ActionsLogs-pre jp-ActionsLogs-stack">{step.stack}</pre>}
          <h5>Logs</h5>
          <pre className="jp-ActionsLogs-pre jp-ActionsLogs-logs">{step.logs || '(nothing printed)'}</pre>
          <h5>Commands</h5>
          {step.commands.length === 0 ? (
            <p className="jp-ActionsLogs-note">none</p>
          ) : (
            <ul className="jp-ActionsLogs-commands">
              {step.commands.map((c, j) => (
                <li key={j}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
          )}
          <h5>Stats</h5>
          <table className="jp-ActionsLogs-stats">
            <tbody>
              {step.stats.map(([name, value]) => (
                <tr key={name}>
                  <th>{name}</th>
                  <td>{ms(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
      <details className="jp-ActionsLogs-event">
        <summary>Input event (as recorded, redacted)</summary>
        <pre className="jp-ActionsLogs-pre">{JSON.stringify(execution.event, null, 2)}</pre>
      </details>
    </section>
  );
}
