import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { draftSync } from '../src/models/draftSync';

describe('draftSync: the stored draft against what the editor loaded and holds', () => {
  test('nothing changed elsewhere, edited or not', () => {
    assert.equal(draftSync('a', 'a', 'a'), 'unchanged');
    assert.equal(draftSync('a', 'a + my edit', 'a'), 'unchanged');
  });

  test('changed elsewhere, no edits here: reload', () => {
    assert.equal(draftSync('a', 'a', 'b'), 'reload');
  });

  test('changed elsewhere into what the editor holds: converged', () => {
    assert.equal(draftSync('a', 'b', 'b'), 'converged');
  });

  test('changed elsewhere while the editor holds other edits: conflict', () => {
    assert.equal(draftSync('a', 'a + my edit', 'b'), 'conflict');
  });

  test('every combination of three texts drawn from two values', () => {
    for (const saved of ['x', 'y']) {
      for (const editor of ['x', 'y']) {
        for (const server of ['x', 'y']) {
          const sync = draftSync(saved, editor, server);
          // the editor's edits are never dropped: only a clean editor reloads
          assert.ok(sync !== 'reload' || editor === saved);
          assert.equal(sync === 'unchanged', server === saved);
        }
      }
    }
  });
});
