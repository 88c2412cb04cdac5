import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import type { ActionJson } from '../src/models/json';
import { actionBadges } from '../src/models/states';

/** The server's own answer (capture_actions.py wrote it): compiled tests run from lib-test/test. */
const listing = readFileSync(
  join(__dirname, '..', '..', 'test', 'fixtures', 'actions.json'),
  'utf8'
);
const actions = (JSON.parse(listing) as { actions: ActionJson[] }).actions;

const named = (name: string): ActionJson => {
  const found = actions.find(a => a.name === name);
  assert.ok(
    found,
    `fixtures/actions.json has no action ${name}: run capture_actions.py`
  );
  return found;
};

const labels = (action: ActionJson): string[] =>
  actionBadges(action).map(b => b.label);

describe('actionBadges on the JSON the server lists', () => {
  test('the listing carries every field the badges read', () => {
    for (const a of actions) {
      assert.equal(typeof a.all_changes_deployed, 'boolean', a.name);
      assert.equal(typeof a.status, 'string', a.name);
      assert.ok(Array.isArray(a.errors), a.name);
      assert.ok(
        a.deployed_version === null ||
          typeof a.deployed_version.number === 'number',
        a.name
      );
      for (const s of a.secrets) {
        assert.equal(typeof s.is_set, 'boolean', `${a.name}: secrets[].is_set`);
      }
    }
    assert.ok(
      !listing.includes('fixture-value-never-served'),
      'a secret value is in the listing'
    );
  });

  test('draft only', () => {
    assert.deepEqual(actionBadges(named('draft-only')), [
      { kind: 'draft-only', label: 'draft only' }
    ]);
  });

  test('deployed vN when the draft equals the deployed version', () => {
    assert.deepEqual(labels(named('deployed')), ['deployed v1']);
  });

  test('draft ahead of vN when the draft was edited after the deploy', () => {
    assert.deepEqual(actionBadges(named('ahead')), [
      { kind: 'draft-ahead', label: 'draft ahead of v2' }
    ]);
  });

  test('build failed, with the first line of the build error as the detail', () => {
    const [failed, lifecycle] = actionBadges(named('build-failed'));
    assert.equal(failed.kind, 'build-failed');
    assert.equal(failed.label, 'build failed');
    assert.equal(failed.detail, 'error: Failed to download `ja-broken==1.0`');
    assert.equal(lifecycle.label, 'draft only');
  });

  test('secret missing names the secrets with no value, not the set ones', () => {
    const [missing, lifecycle] = actionBadges(named('secret-missing'));
    assert.deepEqual(missing, {
      kind: 'secret-missing',
      label: 'secret missing',
      detail: 'no value yet: WEBHOOK_TOKEN'
    });
    assert.equal(lifecycle.kind, 'draft-only');
  });

  test('a build under way shows "building" (status pending or building)', () => {
    for (const status of ['pending', 'building']) {
      assert.deepEqual(labels({ ...named('ahead'), status }), [
        'building',
        'draft ahead of v2'
      ]);
    }
  });

  test('a failed build with a deployed version shows both', () => {
    assert.deepEqual(
      labels({
        ...named('build-failed'),
        deployed_version: named('deployed').deployed_version
      }),
      ['build failed', 'draft ahead of v1']
    );
  });
});
