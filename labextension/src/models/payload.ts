/**
 * The Test tab's payload: the JSON text in the editor, parsed into the event object the test
 * sends, or one line saying where and what is wrong ("line 3, column 14: expected ',' or '}'").
 * JSON.parse reads valid text; on invalid text a small scanner finds the first error, because
 * engines word and place their errors differently (and some give no line at all).
 */

export type JsonObject = { [key: string]: unknown };

export type PayloadResult =
  | { readonly ok: true; readonly value: JsonObject }
  | { readonly ok: false; readonly error: string };

/** The object in `text`, or a one-line error. */
export function parsePayload(text: string): PayloadResult {
  if (text.trim() === '') {
    return {
      ok: false,
      error: 'the payload is empty: write a JSON object, e.g. {}'
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const found = locateJsonError(text);
    const message = found
      ? `${position(text, found.at)}: ${found.message}`
      : `${(error as Error).message}`.split('\n')[0];
    return { ok: false, error: message };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: `the payload must be a JSON object ({...}), not ${kindOf(value)}`
    };
  }
  return { ok: true, value: value as JsonObject };
}

/** The text shown in the editor: 2-space indented JSON. */
export function formatPayload(value: JsonObject): string {
  return JSON.stringify(value, null, 2);
}

/** The editor's text, starting from (and reset to) the trigger's sample payload. */
export class PayloadDraft {
  private _sample: JsonObject;
  private _text: string;

  constructor(sample: JsonObject) {
    this._sample = sample;
    this._text = formatPayload(sample);
  }

  get text(): string {
    return this._text;
  }

  /** Whether the text is still the sample as shown (Reset has nothing to do). */
  get isSample(): boolean {
    return this._text === formatPayload(this._sample);
  }

  edit(text: string): void {
    this._text = text;
  }

  parse(): PayloadResult {
    return parsePayload(this._text);
  }

  /** Re-indent the text if it parses; an invalid text is kept as typed. */
  format(): PayloadResult {
    const result = this.parse();
    if (result.ok) {
      this._text = formatPayload(result.value);
    }
    return result;
  }

  /** Back to the sample, or to `sample` (another trigger's) when given. */
  reset(sample: JsonObject = this._sample): void {
    this._sample = sample;
    this._text = formatPayload(sample);
  }
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (value === null) {
    return 'null';
  }
  return typeof value === 'string'
    ? 'a string'
    : typeof value === 'number'
      ? 'a number'
      : String(value);
}

/** "line L, column C" of a UTF-16 offset (1-based; CRLF is one line break). */
function position(text: string, at: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return `line ${line}, column ${at - start + 1}`;
}

export interface ScanError {
  readonly at: number;
  readonly message: string;
}

/**
 * The first place where `text` stops being JSON (RFC 8259), or null. Iterative, with an explicit
 * stack of open containers, so deep nesting cannot overflow the call stack.
 */
export function locateJsonError(text: string): ScanError | null {
  const stack: Array<'{' | '['> = [];
  let i = 0;
  let state: 'value' | 'key' | 'after' = 'value';
  let afterComma = false;
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) {
      i++;
    }
  };
  const fail = (expected: string): ScanError =>
    i >= text.length
      ? { at: i, message: `the text ends early: expected ${expected}` }
      : { at: i, message: `expected ${expected}` };

  for (;;) {
    skipSpace();
    const c = text[i];
    if (state === 'value') {
      if (c === ']' && afterComma) {
        return {
          at: i,
          message: "a comma before ']' is not allowed in JSON: remove it"
        };
      }
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        skipSpace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          state = 'after';
        } else {
          state = c === '{' ? 'key' : 'value';
        }
        afterComma = false;
        continue;
      }
      const scalar = scanScalar(text, i);
      if ('message' in scalar) {
        return scalar;
      }
      i = scalar.end;
      state = 'after';
    } else if (state === 'key') {
      if (c === '}' && afterComma) {
        return {
          at: i,
          message: "a comma before '}' is not allowed in JSON: remove it"
        };
      }
      if (c !== '"') {
        return fail(
          afterComma
            ? 'a property name in double quotes'
            : "a property name in double quotes or '}'"
        );
      }
      const key = scanString(text, i);
      if ('message' in key) {
        return key;
      }
      i = key.end;
      skipSpace();
      if (text[i] !== ':') {
        return fail("':' after the property name");
      }
      i++;
      state = 'value';
      afterComma = false;
    } else {
      const open = stack[stack.length - 1];
      if (open === undefined) {
        return i < text.length
          ? { at: i, message: 'unexpected text after the JSON value' }
          : null;
      }
      const close = open === '{' ? '}' : ']';
      if (c === ',') {
        i++;
        state = open === '{' ? 'key' : 'value';
        afterComma = true;
      } else if (c === close) {
        stack.pop();
        i++;
      } else {
        return fail(`',' or '${close}'`);
      }
    }
  }
}

type Scanned = { readonly end: number } | ScanError;

function scanScalar(text: string, at: number): Scanned {
  const c = text[at];
  if (c === '"') {
    return scanString(text, at);
  }
  if (c === '-' || (c >= '0' && c <= '9')) {
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(
      text.slice(at, at + 400)
    );
    if (number === null) {
      return {
        at,
        message: 'invalid number: a digit must follow the minus sign'
      };
    }
    const next = text[at + number[0].length];
    if (next !== undefined && /[\d.eE+-]/.test(next)) {
      return {
        at: at + number[0].length,
        message:
          'invalid number (JSON numbers have no leading zeros, and a digit on each side of the point)'
      };
    }
    return { end: at + number[0].length };
  }
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, at)) {
      return { end: at + literal.length };
    }
  }
  if (c === "'") {
    return {
      at,
      message: 'JSON strings take double quotes, not single quotes'
    };
  }
  if (c === undefined) {
    return { at, message: 'the text ends early: expected a value' };
  }
  return {
    at,
    message:
      'expected a value (an object, array, string, number, true, false or null)'
  };
}

function scanString(text: string, at: number): Scanned {
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      return { end: i + 1 };
    }
    if (c < ' ') {
      return {
        at: i,
        message:
          'a string cannot hold a line break or control character: escape it (\\n, \\t)'
      };
    }
    if (c === '\\') {
      const escape = text[i + 1];
      if (escape === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return {
            at: i,
            message: 'invalid escape: \\u takes four hexadecimal digits'
          };
        }
        i += 5;
      } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
        i++;
      } else {
        return {
          at: i,
          message: `invalid escape '\\${escape ?? ''}' in a string`
        };
      }
    }
  }
  return {
    at: text.length,
    message: `the text ends early: the string opened at ${position(text, at)} is not closed`
  };
}
