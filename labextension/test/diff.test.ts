import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  DiffRow,
  diffRows,
  lineEndingNote,
  splitLines
} from '../src/models/diff';

/** Rows as compact strings: "= 1:a|1:a", "- 2:b|", "+ |3:c", "~ 2:b|2:B". */
const compact = (rows: DiffRow[]): string[] =>
  rows.map(r => {
    const mark = { same: '=', removed: '-', added: '+', changed: '~' }[r.kind];
    const side = (l?: { line: number; text: string }) =>
      l ? `${l.line}:${l.text}` : '';
    return `${mark} ${side(r.left)}|${side(r.right)}`;
  });

/** The longest common subsequence's length, by the textbook dynamic programme. */
function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] =
        a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.length];
}

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('splitLines', () => {
  test('a final line break starts no line; every ending counts', () => {
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines('\n'), ['']);
    assert.deepEqual(splitLines('a'), ['a']);
    assert.deepEqual(splitLines('a\n'), ['a']);
    assert.deepEqual(splitLines('a\r\nb\rc\n\nd'), ['a', 'b', 'c', '', 'd']);
  });
});

describe('diffRows', () => {
  test('identical texts are all "same", numbered on both sides', () => {
    assert.deepEqual(compact(diffRows('a\nb\n', 'a\nb\n')), [
      '= 1:a|1:a',
      '= 2:b|2:b'
    ]);
  });

  test('empty texts', () => {
    assert.deepEqual(diffRows('', ''), []);
    assert.deepEqual(compact(diffRows('', 'x\ny')), ['+ |1:x', '+ |2:y']);
    assert.deepEqual(compact(diffRows('x\ny\n', '')), ['- 1:x|', '- 2:y|']);
  });

  test('an edited line is one "changed" row', () => {
    const left = 'def f(event, api):\n    x = 1\n    return x\n';
    const right = 'def f(event, api):\n    x = 2\n    return x\n';
    assert.deepEqual(compact(diffRows(left, right)), [
      '= 1:def f(event, api):|1:def f(event, api):',
      '~ 2:    x = 1|2:    x = 2',
      '= 3:    return x|3:    return x'
    ]);
  });

  test('a removed run next to a longer added run: pairs, then the extra added lines', () => {
    assert.deepEqual(compact(diffRows('a\nb\nc\nz', 'a\nB\nC\nD\nz')), [
      '= 1:a|1:a',
      '~ 2:b|2:B',
      '~ 3:c|3:C',
      '+ |4:D',
      '= 4:z|5:z'
    ]);
  });

  test('pure insertions and deletions are not paired', () => {
    assert.deepEqual(compact(diffRows('a\nc', 'a\nb\nc')), [
      '= 1:a|1:a',
      '+ |2:b',
      '= 2:c|3:c'
    ]);
    assert.deepEqual(compact(diffRows('a\nb\nc', 'a\nc')), [
      '= 1:a|1:a',
      '- 2:b|',
      '= 3:c|2:c'
    ]);
  });

  test('a moved line is removed in one place and added in another', () => {
    assert.deepEqual(compact(diffRows('a\nb\nc', 'b\nc\na')), [
      '- 1:a|',
      '= 2:b|1:b',
      '= 3:c|2:c',
      '+ |3:a'
    ]);
  });

  test('CRLF and a missing final line break change no row', () => {
    assert.deepEqual(compact(diffRows('a\r\nb\r\n', 'a\nb')), [
      '= 1:a|1:a',
      '= 2:b|2:b'
    ]);
  });

  test('on random texts: both sides rebuilt, and as many "same" rows as the LCS', () => {
    const next = random(15);
    for (let round = 0; round < 300; round++) {
      const alphabet = 1 + Math.floor(next() * 5);
      const make = () =>
        Array.from({ length: Math.floor(next() * 14) }, () =>
          String.fromCharCode(97 + Math.floor(next() * alphabet))
        );
      const a = make();
      const b = make();
      const rows = diffRows(a.join('\n'), b.join('\n'));
      const context = `round ${round}: ${a.join('')} -> ${b.join('')}`;
      assert.deepEqual(
        rows.flatMap(r => (r.left ? [r.left.text] : [])),
        a,
        context
      );
      assert.deepEqual(
        rows.flatMap(r => (r.right ? [r.right.text] : [])),
        b,
        context
      );
      assert.deepEqual(
        rows.flatMap(r => (r.left ? [r.left.line] : [])),
        a.map((_, i) => i + 1),
        context
      );
      for (const r of rows) {
        if (r.kind === 'same') {
          assert.equal(r.left?.text, r.right?.text, context);
        }
      }
      assert.equal(
        rows.filter(r => r.kind === 'same').length,
        lcsLength(a, b),
        context
      );
    }
  });

  test('2,000-line files diff in under 200 ms, even when no line is common', () => {
    const original = Array.from(
      { length: 2000 },
      (_, i) => `    value_${i} = compute(event, ${i})`
    );
    const edited = original.map((line, i) =>
      i % 7 === 0 ? `${line}  # changed` : line
    );
    edited.splice(500, 40);
    edited.splice(
      1500,
      0,
      ...Array.from({ length: 60 }, (_, i) => `    added_${i} = True`)
    );
    const unrelated = Array.from({ length: 2000 }, (_, i) => `other line ${i}`);
    for (const [label, right] of [
      ['every 7th line edited, a block removed, a block added', edited],
      ['no line in common', unrelated]
    ] as const) {
      const started = performance.now();
      const rows = diffRows(original.join('\n'), right.join('\n'));
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 200, `${label}: ${elapsed.toFixed(1)} ms`);
      assert.ok(rows.length >= 2000);
    }
  });

  test("Myers' worst case (every line common, order reversed) stays under a second", () => {
    const original = Array.from({ length: 2000 }, (_, i) => `line ${i}`);
    const started = performance.now();
    const rows = diffRows(
      original.join('\n'),
      [...original].reverse().join('\n')
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `${elapsed.toFixed(1)} ms`);
    assert.equal(rows.filter(r => r.kind === 'same').length, 1);
  });
});

describe('lineEndingNote', () => {
  test('says what differs when only line endings do', () => {
    assert.equal(lineEndingNote('a\nb\n', 'a\nb\n'), null);
    assert.equal(
      lineEndingNote('a\nb\n', 'a\nb'),
      'the right text has no line break at its end'
    );
    assert.equal(
      lineEndingNote('a', 'a\n'),
      'the left text has no line break at its end'
    );
    assert.equal(
      lineEndingNote('a\r\nb\r\n', 'a\nb\n'),
      'line endings differ: CRLF on the left, LF on the right'
    );
    assert.equal(
      lineEndingNote('a\r\nb\nc', 'a\nb\nc'),
      'line endings differ: mixed on the left, LF on the right'
    );
    assert.equal(lineEndingNote('', 'a\n'), null);
  });
});
