import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  ExecutionJson,
  commandRows,
  draftState,
  notebookCells,
  notebookName,
  outcomeBadge,
  parsePin,
  withPin,
  withoutPin
} from '../src/models/execution';

/** The shape POST /actions/actions/{id}/test answered (trimmed to what the editor reads). */
function execution(over: Partial<ExecutionJson['outcome']>, error: ExecutionJson['results'][0]['response']['error'] = null): ExecutionJson {
  return {
    id: '01a228bf-de42-7e96-b094-4b8d90820113',
    trigger_id: 'post-login',
    status: 'final',
    results: [
      {
        action_name: 'probe',
        version_number: null,
        response: { logs: 'hello\n', stats: { action_duration_ms: 0.136 }, error },
        commands: [
          { type: 'id_token.set_custom_claim', key: 'https://x/y', value: 1 },
          { type: 'access.deny', reason: 'blocked domain' }
        ],
        control: error ? 'stop' : 'continue'
      }
    ],
    outcome: { status: 'allowed', deny: null, error: null, ...over }
  };
}

describe('draftState', () => {
  test('the saved text is up to date, any other is unsaved', () => {
    assert.equal(draftState('a\n', 'a\n'), 'up to date');
    assert.equal(draftState('a\n', 'a'), 'unsaved changes');
  });
});

describe('outcomeBadge', () => {
  test('allowed, denied with its reason, suspended', () => {
    assert.deepEqual(outcomeBadge(execution({})), { kind: 'allowed', label: 'allowed' });
    assert.deepEqual(outcomeBadge(execution({ status: 'denied', deny: { reason: 'blocked domain\nsecond line' } })), {
      kind: 'denied',
      label: 'denied: blocked domain'
    });
    assert.equal(outcomeBadge(execution({ status: 'suspended' })).kind, 'suspended');
    assert.deepEqual(outcomeBadge(execution({ status: 'mystery' })), { kind: 'unknown', label: 'mystery' });
  });
  test('an action that raised is an error badge with the exception, whatever the status', () => {
    const raised = execution(
      { status: 'failed', error: { message: 'boom' } },
      { name: 'ValueError', message: 'boom', stack: 'Traceback...\nValueError: boom\n', error_class: 'action_error' }
    );
    assert.deepEqual(outcomeBadge(raised), { kind: 'error', label: 'error: ValueError: boom' });
    assert.deepEqual(outcomeBadge(execution({ status: 'failed', error: { message: 'timed out' } })), {
      kind: 'error',
      label: 'error: timed out'
    });
  });
});

describe('commandRows', () => {
  test('every command in order with its other fields as JSON', () => {
    assert.deepEqual(commandRows(execution({})), [
      { action: 'probe', type: 'id_token.set_custom_claim', detail: '{"key":"https://x/y","value":1}' },
      { action: 'probe', type: 'access.deny', detail: '{"reason":"blocked domain"}' }
    ]);
    const none = execution({});
    none.results[0].commands = [{ type: 'access.allow' }];
    assert.deepEqual(commandRows(none), [{ action: 'probe', type: 'access.allow', detail: '' }]);
  });
});

describe('pins', () => {
  test('a pin needs a name and a version', () => {
    assert.deepEqual(parsePin(' requests ', ' 2.31.0 '), { ok: true, pin: { name: 'requests', version: '2.31.0' } });
    assert.equal(parsePin('', '1').ok, false);
    assert.equal(parsePin('requests', '').ok, false);
    assert.equal(parsePin('re quests', '1').ok, false);
    assert.equal(parsePin('requests', '1 2').ok, false);
  });
  test('adding replaces the same normalised name; removing drops it', () => {
    const pins = [{ name: 'requests', version: '2.0' }, { name: 'PyJWT', version: '2.8.0' }];
    assert.deepEqual(withPin(pins, { name: 'Requests', version: '2.31.0' }), [
      { name: 'PyJWT', version: '2.8.0' },
      { name: 'Requests', version: '2.31.0' }
    ]);
    assert.deepEqual(withoutPin(pins, 'pyjwt'), [{ name: 'requests', version: '2.0' }]);
    assert.deepEqual(withPin([{ name: 'typing_extensions', version: '1' }], { name: 'typing-extensions', version: '2' }), [
      { name: 'typing-extensions', version: '2' }
    ]);
  });
});

describe('notebook', () => {
  test('the magic is loaded before the action cell', () => {
    assert.deepEqual(notebookCells('%%action a --trigger post-login\npass\n\n'), [
      '%load_ext jupyter_actions',
      '%%action a --trigger post-login\npass\n'
    ]);
  });
  test('a free file name', () => {
    assert.equal(notebookName('geo block', new Set()), 'geo-block.ipynb');
    assert.equal(notebookName('a', new Set(['a.ipynb', 'a-1.ipynb'])), 'a-2.ipynb');
  });
});
