import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { positionOf, scanPositions } from '../../src/cli/schema/positions.js';

const at = (text: string, path: string[], key = false) => positionOf(scanPositions(text), path, key);

describe('scanPositions', () => {
  const text = [
    '// a comment { with: "braces" }',
    '{',
    "  'single': 1, /* block, { } */ \"double\": 'x\\'y',",
    '  unquoted$: { deep: [10, { inner: true }] },',
    '  "esc\\u0061ped": null,',
    '  trailing: [1, 2,],',
    '}',
  ].join('\n');

  it.each([
    [['single'], { line: 3, column: 13 }],
    [['double'], { line: 3, column: 43 }],
    [['unquoted$'], { line: 4, column: 14 }],
    [['unquoted$', 'deep', '1', 'inner'], { line: 4, column: 36 }],
    [['unquoted$', 'deep', '0'], { line: 4, column: 23 }],
    [['escaped'], { line: 5, column: 19 }],
    [['trailing', '1'], { line: 6, column: 17 }],
  ])('finds the value at %j', (path, position) => {
    expect(JSON5.parse(text)).toBeTruthy();
    expect(at(text, path)).toEqual(position);
  });

  it('finds a key where it starts, quotes included', () => {
    expect(at(text, ['double'], true)).toEqual({ line: 3, column: 33 });
    expect(at(text, ['unquoted$', 'deep'], true)).toEqual({ line: 4, column: 16 });
  });

  it('falls back to the closest parent for a path inside a value it has no entry for', () => {
    expect(at(text, ['unquoted$', 'deep', '5'])).toEqual({ line: 4, column: 22 });
    expect(at(text, ['missing'])).toEqual({ line: 2, column: 1 });
  });

  it('counts CRLF and CR line ends once, and keeps the last of duplicate keys', () => {
    const crlf = '{\r\n  a: 1,\r  b: 2,\r\n  a: 3\r\n}';
    expect(at(crlf, ['b'])).toEqual({ line: 3, column: 6 });
    expect(at(crlf, ['a'])).toEqual({ line: 4, column: 6 });
  });
});
