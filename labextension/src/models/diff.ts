/**
 * A line diff of two code texts into side-by-side rows, for Version History's "compare".
 * Myers' O(ND) algorithm in its linear-space form (middle snake, divide and conquer), on
 * lines interned to integers. A run of removed lines next to a run of added ones is paired
 * into "changed" rows, as side-by-side viewers show an edited block.
 *
 * Lines end at LF, CRLF or CR alike, and a final line ending starts no line: texts that
 * differ only there have all rows "same"; `lineEndingNote` says what differs.
 */

export interface DiffLine {
  /** 1-based line number in its text. */
  readonly line: number;
  readonly text: string;
}

export type DiffKind = 'same' | 'removed' | 'added' | 'changed';

export interface DiffRow {
  readonly kind: DiffKind;
  readonly left?: DiffLine;
  readonly right?: DiffLine;
}

/** The lines of a text; "" has none, "a\n" has one. */
export function splitLines(text: string): string[] {
  if (text === '') {
    return [];
  }
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/** The side-by-side rows from `left` (the older text) to `right`. */
export function diffRows(left: string, right: string): DiffRow[] {
  const a = splitLines(left);
  const b = splitLines(right);
  const ids = new Map<string, number>();
  const intern = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const matchOfA = matchLines(
    Int32Array.from(a, intern),
    Int32Array.from(b, intern)
  );
  return rowsOf(a, b, matchOfA);
}

/** What differs in line endings when the lines are the same, or null. */
export function lineEndingNote(left: string, right: string): string | null {
  const notes: string[] = [];
  const endsLeft = /[\r\n]$/.test(left);
  const endsRight = /[\r\n]$/.test(right);
  if (left !== '' && right !== '' && endsLeft !== endsRight) {
    notes.push(
      `the ${endsLeft ? 'right' : 'left'} text has no line break at its end`
    );
  }
  const styleLeft = endingStyle(left);
  const styleRight = endingStyle(right);
  if (styleLeft !== null && styleRight !== null && styleLeft !== styleRight) {
    notes.push(
      `line endings differ: ${styleLeft} on the left, ${styleRight} on the right`
    );
  }
  return notes.length > 0 ? notes.join('; ') : null;
}

function endingStyle(text: string): string | null {
  const crlf = /\r\n/.test(text);
  const lf = /(^|[^\r])\n/.test(text);
  const cr = /\r(?!\n)/.test(text);
  const styles = [crlf && 'CRLF', lf && 'LF', cr && 'CR'].filter(Boolean);
  if (styles.length === 0) {
    return null;
  }
  return styles.length === 1 ? (styles[0] as string) : 'mixed';
}

/** Walk both texts: matched lines are "same"; between them, pair removed with added. */
function rowsOf(a: string[], b: string[], matchOfA: Int32Array): DiffRow[] {
  const matchedB = new Uint8Array(b.length);
  for (const j of matchOfA) {
    if (j >= 0) {
      matchedB[j] = 1;
    }
  }
  const rows: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && matchOfA[i] === j) {
      rows.push({ kind: 'same', left: at(a, i), right: at(b, j) });
      i++;
      j++;
      continue;
    }
    const removedStart = i;
    while (i < a.length && matchOfA[i] < 0) {
      i++;
    }
    const addedStart = j;
    while (j < b.length && !matchedB[j]) {
      j++;
    }
    const removed = i - removedStart;
    const added = j - addedStart;
    for (let k = 0; k < Math.max(removed, added); k++) {
      const l = k < removed ? at(a, removedStart + k) : undefined;
      const r = k < added ? at(b, addedStart + k) : undefined;
      const kind: DiffKind = l && r ? 'changed' : l ? 'removed' : 'added';
      rows.push({ kind, left: l, right: r });
    }
  }
  return rows;
}

function at(lines: string[], index: number): DiffLine {
  return { line: index + 1, text: lines[index] };
}

/**
 * For each line of `a`, the index of the line of `b` it matches in a shortest edit script, or
 * -1. Lines found in one text only can match nothing, so the search runs without them: two
 * unrelated texts cost a pass each instead of Myers' worst case.
 */
function matchLines(a: Int32Array, b: Int32Array): Int32Array {
  const inA = new Uint8Array(a.length + b.length);
  const inB = new Uint8Array(a.length + b.length);
  a.forEach(id => (inA[id] = 1));
  b.forEach(id => (inB[id] = 1));
  const keptA = indexesWhere(a, inB);
  const keptB = indexesWhere(b, inA);
  const search = {
    a: keptA.map(i => a[i]),
    b: keptB.map(j => b[j]),
    match: new Int32Array(keptA.length).fill(-1),
    forward: new Int32Array(2 * (keptA.length + keptB.length) + 4),
    backward: new Int32Array(2 * (keptA.length + keptB.length) + 4)
  };
  compare(search, 0, keptA.length, 0, keptB.length);
  const match = new Int32Array(a.length).fill(-1);
  search.match.forEach((j, i) => {
    if (j >= 0) {
      match[keptA[i]] = keptB[j];
    }
  });
  return match;
}

/** The positions of `ids` whose id is flagged in `present`. */
function indexesWhere(ids: Int32Array, present: Uint8Array): Int32Array {
  const kept: number[] = [];
  ids.forEach((id, i) => {
    if (present[id]) {
      kept.push(i);
    }
  });
  return Int32Array.from(kept);
}

interface Search {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly match: Int32Array;
  /** Furthest x reached on each diagonal, offset by the middle of the array. */
  readonly forward: Int32Array;
  readonly backward: Int32Array;
}

function compare(
  s: Search,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number
): void {
  while (aLo < aHi && bLo < bHi && s.a[aLo] === s.b[bLo]) {
    s.match[aLo++] = bLo++;
  }
  while (aLo < aHi && bLo < bHi && s.a[aHi - 1] === s.b[bHi - 1]) {
    s.match[--aHi] = --bHi;
  }
  if (aLo === aHi || bLo === bHi) {
    return; // only removals or only additions are left
  }
  const [x, y, u, v] = middleSnake(s, aLo, aHi, bLo, bHi);
  compare(s, aLo, aLo + x, bLo, bLo + y);
  for (let k = 0; k < u - x; k++) {
    s.match[aLo + x + k] = bLo + y + k;
  }
  compare(s, aLo + u, aHi, bLo + v, bHi);
}

/**
 * Myers' middle snake of a[aLo, aHi) against b[bLo, bHi): the diagonal run (x, y) to (u, v),
 * relative to (aLo, bLo), where the forward and backward searches of a shortest edit script meet.
 */
function middleSnake(
  s: Search,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number
): [number, number, number, number] {
  const { a, b, forward: vf, backward: vb } = s;
  const n = aHi - aLo;
  const m = bHi - bLo;
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  const mid = (vf.length >> 1) - 1;
  const max = Math.ceil((n + m) / 2);
  vf[mid + 1] = 0;
  vb[mid + 1] = 0;
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && vf[mid + k - 1] < vf[mid + k + 1])
          ? vf[mid + k + 1]
          : vf[mid + k - 1] + 1;
      let y = x - k;
      const x0 = x;
      const y0 = y;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      vf[mid + k] = x;
      const back = delta - k;
      if (odd && back >= -(d - 1) && back <= d - 1 && x + vb[mid + back] >= n) {
        return [x0, y0, x, y];
      }
    }
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && vb[mid + k - 1] < vb[mid + k + 1])
          ? vb[mid + k + 1]
          : vb[mid + k - 1] + 1;
      let y = x - k;
      const x0 = x;
      const y0 = y;
      while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
        x++;
        y++;
      }
      vb[mid + k] = x;
      const ahead = delta - k;
      if (!odd && ahead >= -d && ahead <= d && x + vf[mid + ahead] >= n) {
        return [n - x, m - y, n - x0, m - y0];
      }
    }
  }
  throw new Error('diff: the searches did not meet (a bug in middleSnake)');
}
