import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  DEFAULT_FILTERS,
  ExecutionJson,
  MAX_BAR_WIDTH,
  chartBuckets,
  chartGeometry,
  commandLine,
  executionsPath,
  filtersProblem,
  hasNextPage,
  rowOf,
  stepsOf
} from '../src/models/executions';

const at = (seconds: number): string => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString();

const execution = (
  status: string,
  seconds: number,
  duration: number | null = 10,
  extra: Partial<ExecutionJson['outcome']> = {}
): ExecutionJson => ({
  id: `e-${status}-${seconds}`,
  trigger_id: 'post-login',
  status: status === 'failed' ? 'partial' : 'final',
  kind: 'flow',
  results: [
    {
      action_name: 'geo',
      version_number: 2,
      response: {
        logs: 'hello\n',
        stats: { action_duration_ms: 1.5, note: 'x' as unknown as number },
        error: status === 'failed' ? { name: 'RuntimeError', message: 'boom', stack: 'Traceback\n' } : null
      },
      commands: [{ type: 'access.deny', reason: 'no' }],
      control: 'continue'
    }
  ],
  outcome: { status, ...extra },
  event: { user: { email: 'a@b.c' } },
  duration_ms: duration,
  created_at: at(seconds)
});

describe('executionsPath', () => {
  test('empty filters ask for flow executions, first page', () => {
    assert.equal(executionsPath(DEFAULT_FILTERS), 'jupyter-actions/executions?kind=flow&page=0&per_page=20');
  });

  test('every filter is sent, times as UTC ISO', () => {
    const path = executionsPath({
      triggerId: 'post-login',
      status: 'denied',
      actionName: ' geo ',
      since: '2026-01-01T10:00:00+02:00',
      until: '2026-01-02T00:00:00Z',
      page: 3,
      perPage: 50
    });
    const query = new URLSearchParams(path.split('?')[1]);
    assert.equal(query.get('triggerId'), 'post-login');
    assert.equal(query.get('status'), 'denied');
    assert.equal(query.get('actionName'), 'geo');
    assert.equal(query.get('since'), '2026-01-01T08:00:00.000Z');
    assert.equal(query.get('until'), '2026-01-02T00:00:00.000Z');
    assert.equal(query.get('page'), '3');
    assert.equal(query.get('per_page'), '50');
  });

  test('bad filters are refused with one line', () => {
    assert.match(filtersProblem({ ...DEFAULT_FILTERS, since: 'yesterday' }) ?? '', /not a time/);
    assert.match(
      filtersProblem({ ...DEFAULT_FILTERS, since: at(5), until: at(5) }) ?? '',
      /must be before until/
    );
    assert.match(filtersProblem({ ...DEFAULT_FILTERS, status: 'final' }) ?? '', /unknown status final/);
    assert.match(filtersProblem({ ...DEFAULT_FILTERS, perPage: 101 }) ?? '', /1 to 100/);
    assert.match(filtersProblem({ ...DEFAULT_FILTERS, page: -1 }) ?? '', /not a page number/);
    assert.throws(() => executionsPath({ ...DEFAULT_FILTERS, until: 'soon' }), /not a time/);
    assert.equal(filtersProblem(DEFAULT_FILTERS), null);
  });

  test('a full page may have a next one', () => {
    assert.equal(hasNextPage(20, DEFAULT_FILTERS), true);
    assert.equal(hasNextPage(19, DEFAULT_FILTERS), false);
  });
});

describe('rows and steps', () => {
  test('a row says why it was denied or how it failed', () => {
    assert.equal(rowOf(execution('allowed', 0)).summary, '');
    assert.equal(rowOf(execution('denied', 0, 1, { deny: { reason: 'not from US' } })).summary, 'not from US');
    const failed = rowOf(
      execution('failed', 0, 1, { error: { action_name: 'boom', name: 'RuntimeError', message: 'it broke' } })
    );
    assert.equal(failed.summary, 'boom: RuntimeError: it broke');
    assert.deepEqual(failed.actions, ['geo']);
    assert.equal(failed.outcome, 'failed');
  });

  test('steps keep logs, numeric stats, the error and commands', () => {
    const [step] = stepsOf(execution('failed', 0));
    assert.equal(step.logs, 'hello\n');
    assert.deepEqual(step.stats, [['action_duration_ms', 1.5]]);
    assert.equal(step.error, 'RuntimeError: boom');
    assert.equal(step.stack, 'Traceback\n');
    assert.deepEqual(step.commands, ['access.deny reason="no"']);
    assert.equal(stepsOf(execution('allowed', 0))[0].error, null);
  });

  test('a command line', () => {
    assert.equal(commandLine({ type: 'id_token.set_custom_claim', key: 'k', value: 1 }), 'id_token.set_custom_claim key="k" value=1');
  });
});

describe('chartBuckets', () => {
  test('no executions, no buckets', () => {
    assert.deepEqual(chartBuckets([]), []);
    assert.throws(() => chartBuckets([], 0), /whole number of slices/);
  });

  test('executions at one time fill one bucket', () => {
    const buckets = chartBuckets([execution('allowed', 3), execution('denied', 3)], 12);
    assert.equal(buckets.length, 1);
    assert.equal(buckets[0].total, 2);
    assert.deepEqual(buckets[0].counts, { allowed: 1, denied: 1, suspended: 0, failed: 0 });
  });

  test('counts per slice, medians and maxima of latency', () => {
    const list = [
      execution('allowed', 0, 10),
      execution('allowed', 1, 30),
      execution('failed', 2, 20),
      execution('denied', 59, 5),
      execution('denied', 60, null)
    ];
    const buckets = chartBuckets(list, 4);
    assert.equal(buckets.length, 4);
    assert.deepEqual(
      buckets.map(b => b.total),
      [3, 0, 0, 2]
    );
    assert.equal(buckets[0].medianMs, 20);
    assert.equal(buckets[0].maxMs, 30);
    assert.equal(buckets[1].medianMs, null);
    assert.equal(buckets[3].medianMs, 5);
    assert.equal(buckets[3].counts.denied, 2);
    assert.equal(buckets.reduce((n, b) => n + b.total, 0), list.length);
    assert.equal(buckets[0].start, Date.parse(at(0)));
    assert.equal(buckets[3].end, Date.parse(at(60)));
  });

  test('random lists: every execution lands in exactly one bucket, in its time range', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const statuses = ['allowed', 'denied', 'suspended', 'failed', 'other'];
    for (let round = 0; round < 200; round++) {
      const list = Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
        execution(statuses[Math.floor(random() * statuses.length)], Math.floor(random() * 3600), random() * 100)
      );
      const count = 1 + Math.floor(random() * 20);
      const buckets = chartBuckets(list, count);
      assert.equal(buckets.reduce((n, b) => n + b.total, 0), list.length);
      const known = list.filter(e => e.outcome.status !== 'other').length;
      assert.equal(
        buckets.reduce((n, b) => n + b.counts.allowed + b.counts.denied + b.counts.suspended + b.counts.failed, 0),
        known
      );
      for (const e of list) {
        const t = Date.parse(e.created_at);
        const holders = buckets.filter(
          (b, i) => t >= b.start && (t < b.end || (i === buckets.length - 1 && t <= b.end))
        );
        assert.equal(holders.length, 1);
      }
    }
  });
});

describe('chartGeometry', () => {
  test('bars stack up to the box height for the fullest bucket; latency scaled', () => {
    const buckets = chartBuckets(
      [execution('allowed', 0, 10), execution('denied', 0, 30), execution('allowed', 10, 40)],
      2
    );
    const g = chartGeometry(buckets, 200, 100);
    assert.equal(g.maxCount, 2);
    assert.equal(g.maxLatencyMs, 40);
    const first = g.rects.filter(r => r.x < 100);
    assert.deepEqual(
      first.map(r => [r.status, r.height]),
      [
        ['allowed', 50],
        ['denied', 50]
      ]
    );
    assert.equal(Math.min(...first.map(r => r.y)), 0);
    const second = g.rects.filter(r => r.x >= 100);
    assert.deepEqual(second.map(r => [r.status, r.y, r.height]), [['allowed', 50, 50]]);
    assert.equal(g.latencyPoints, '50,50 150,0');
  });

  test('one slice: one bar, no wider than MAX_BAR_WIDTH, centred', () => {
    const g = chartGeometry(chartBuckets([execution('denied', 0, 5)], 12), 600, 100);
    assert.equal(g.rects.length, 1);
    assert.equal(g.rects[0].width, MAX_BAR_WIDTH);
    assert.equal(g.rects[0].x + g.rects[0].width / 2, 300);
    assert.equal(g.latencyPoints, '300,0');
  });

  test('no buckets: an empty chart', () => {
    const g = chartGeometry([], 200, 100);
    assert.deepEqual(g.rects, []);
    assert.equal(g.latencyPoints, '');
  });
});
