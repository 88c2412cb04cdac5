import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  PayloadDraft,
  formatPayload,
  locateJsonError,
  parsePayload
} from '../src/models/payload';

const SAMPLE = {
  user: {
    user_id: 'auth0|5f7c8ec7c33c6c004bbafe82',
    email: 'j+smith@example.com',
    app_metadata: {}
  },
  request: { ip: '13.33.86.47', geoip: { countryCode: 'US' } },
  stats: { logins_count: 62 }
};

const errorOf = (text: string): string => {
  const result = parsePayload(text);
  assert.equal(result.ok, false, `${JSON.stringify(text)} parsed`);
  return result.ok ? '' : result.error;
};

describe('parsePayload', () => {
  test('a JSON object parses to its value', () => {
    const result = parsePayload(formatPayload(SAMPLE));
    assert.deepEqual(result, { ok: true, value: SAMPLE });
  });

  test('a missing comma: line and column of the next property', () => {
    const text =
      '{\n  "user": {"email": "a@b.c"},\n  "request": {"ip": "1.2.3.4"} "stats": {}\n}';
    assert.equal(errorOf(text), "line 3, column 32: expected ',' or '}'");
  });

  test('each mistake gets its own one-line message', () => {
    const cases: Array<[string, string]> = [
      [
        '{"a": 1,}',
        "line 1, column 9: a comma before '}' is not allowed in JSON: remove it"
      ],
      [
        '{"a": [1, 2,]}',
        "line 1, column 13: a comma before ']' is not allowed in JSON: remove it"
      ],
      [
        "{'a': 1}",
        "line 1, column 2: expected a property name in double quotes or '}'"
      ],
      [
        '{"a": \'x\'}',
        'line 1, column 7: JSON strings take double quotes, not single quotes'
      ],
      ['{"a" 1}', "line 1, column 6: expected ':' after the property name"],
      [
        '{"a": 01}',
        'line 1, column 8: invalid number (JSON numbers have no leading zeros, and a digit on each side of the point)'
      ],
      [
        '{"a": -}',
        'line 1, column 7: invalid number: a digit must follow the minus sign'
      ],
      [
        '{"a": tru}',
        'line 1, column 7: expected a value (an object, array, string, number, true, false or null)'
      ],
      ['{"a": "x\\q"}', "line 1, column 9: invalid escape '\\q' in a string"],
      [
        '{"a": "\\u12"}',
        'line 1, column 8: invalid escape: \\u takes four hexadecimal digits'
      ],
      [
        '{"a": "two\nlines"}',
        'line 1, column 11: a string cannot hold a line break or control character: escape it (\\n, \\t)'
      ],
      ['{"a": 1', "line 1, column 8: the text ends early: expected ',' or '}'"],
      [
        '{"a": "x',
        'line 1, column 9: the text ends early: the string opened at line 1, column 7 is not closed'
      ],
      ['{"a": 1}}', 'line 1, column 9: unexpected text after the JSON value'],
      ['{"a": [1 2]}', "line 1, column 10: expected ',' or ']'"]
    ];
    for (const [text, message] of cases) {
      assert.equal(errorOf(text), message, text);
    }
  });

  test('CRLF counts as one line break', () => {
    assert.equal(
      errorOf('{\r\n  "a": 1\r\n  "b": 2\r\n}'),
      "line 3, column 3: expected ',' or '}'"
    );
  });

  test('a payload must be an object', () => {
    assert.equal(
      errorOf('[1, 2]'),
      'the payload must be a JSON object ({...}), not an array'
    );
    assert.equal(
      errorOf('"text"'),
      'the payload must be a JSON object ({...}), not a string'
    );
    assert.equal(
      errorOf('42'),
      'the payload must be a JSON object ({...}), not a number'
    );
    assert.equal(
      errorOf('null'),
      'the payload must be a JSON object ({...}), not null'
    );
    assert.equal(
      errorOf('true'),
      'the payload must be a JSON object ({...}), not true'
    );
    assert.equal(
      errorOf('  \n '),
      'the payload is empty: write a JSON object, e.g. {}'
    );
  });

  test('deep nesting is scanned without overflowing the stack', () => {
    const deep = '{"a": ' + '['.repeat(200_000) + ']'.repeat(199_999) + '}';
    assert.match(errorOf(deep), /^line 1, column \d+: expected ',' or '\]'$/);
  });

  test('the scanner agrees with JSON.parse on thousands of mangled payloads', () => {
    const valid = formatPayload({
      ...SAMPLE,
      list: [1, -2.5e3, true, null, 'q"\\u00e9'],
      empty: {},
      none: []
    });
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      ' ',
      '0',
      '-',
      'e',
      '.',
      't',
      'n',
      "'",
      '\n',
      'u'
    ];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 3000; round++) {
      let text = valid;
      for (let edits = 1 + next(3); edits > 0; edits--) {
        const at = next(text.length + 1);
        const piece = pieces[next(pieces.length)];
        const operation = next(3);
        text =
          operation === 0
            ? text.slice(0, at) + text.slice(at + 1)
            : operation === 1
              ? text.slice(0, at) + piece + text.slice(at)
              : text.slice(0, at) + piece + text.slice(at + 1);
      }
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      const found = locateJsonError(text);
      assert.equal(
        found === null,
        parses,
        `round ${round}: ${JSON.stringify(text)} ${JSON.stringify(found)}`
      );
    }
  });
});

describe('PayloadDraft', () => {
  test('starts from the sample, pretty-printed with 2 spaces', () => {
    const draft = new PayloadDraft(SAMPLE);
    assert.equal(draft.text, JSON.stringify(SAMPLE, null, 2));
    assert.ok(draft.text.startsWith('{\n  "user": {\n    "user_id"'));
    assert.equal(draft.isSample, true);
  });

  test('an edit is parsed; reset returns to the sample', () => {
    const draft = new PayloadDraft(SAMPLE);
    draft.edit('{"user": {"email": "blocked@example.com"}}');
    assert.equal(draft.isSample, false);
    assert.deepEqual(draft.parse(), {
      ok: true,
      value: { user: { email: 'blocked@example.com' } }
    });
    draft.reset();
    assert.equal(draft.isSample, true);
    assert.deepEqual(draft.parse(), { ok: true, value: SAMPLE });
  });

  test("reset to another trigger's sample", () => {
    const draft = new PayloadDraft(SAMPLE);
    draft.reset({ client: { client_id: 'abc' } });
    assert.equal(
      draft.text,
      '{\n  "client": {\n    "client_id": "abc"\n  }\n}'
    );
    draft.edit('{}');
    draft.reset();
    assert.equal(
      draft.text,
      '{\n  "client": {\n    "client_id": "abc"\n  }\n}'
    );
  });

  test('format re-indents valid text and keeps invalid text as typed', () => {
    const draft = new PayloadDraft(SAMPLE);
    draft.edit('{"a":[1,{"b":2}]}');
    assert.deepEqual(draft.format(), { ok: true, value: { a: [1, { b: 2 }] } });
    assert.equal(
      draft.text,
      '{\n  "a": [\n    1,\n    {\n      "b": 2\n    }\n  ]\n}'
    );
    draft.edit('{"a": }');
    assert.deepEqual(draft.format(), {
      ok: false,
      error:
        'line 1, column 7: expected a value (an object, array, string, number, true, false or null)'
    });
    assert.equal(draft.text, '{"a": }');
  });
});
