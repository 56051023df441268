import { describe, expect, test } from 'vitest';
import { parseClassFile, parseClassFileWithJson, scanClassFile } from '../../src/images/fashion-json.js';

const row = (seed: number): number[] => Array.from({ length: 784 }, (_, i) => (i * 7 + seed * 13) % 256);

describe('Fashion-MNIST class files', () => {
  const encode = (text: string) => new TextEncoder().encode(text);

  test('the byte scanner and JSON.parse agree, whitespace included', () => {
    const text = ` {\n "data" : [ [${row(1).join(' , ')}] ,\n [ ], [${row(2).join(',')}], [1,2,3] ] }\n`;
    const fast = scanClassFile(encode(text));
    expect(fast).not.toBeNull();
    const slow = parseClassFileWithJson(encode(text), 'f');
    expect(fast?.count).toBe(2);
    expect(fast?.dropped).toEqual([
      { index: 1, reason: 'empty row' },
      { index: 3, reason: '3 values, expected 784' },
    ]);
    expect(slow.dropped).toEqual(fast?.dropped);
    expect(Array.from(slow.pixels)).toEqual(Array.from(fast?.pixels ?? []));
    expect(Array.from(fast?.pixels ?? []).slice(784)).toEqual(row(2));
  });

  test('values the scanner does not handle fall back to JSON.parse and are dropped with a reason', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'not an array (null)'],
      ['abc', 'not an array (string)'],
      [[...row(0).slice(0, 783), -1], 'value -1 at position 783 is not an integer 0–255'],
      [[1.5, ...row(0).slice(1)], 'value 1.5 at position 0 is not an integer 0–255'],
      [['7', ...row(0).slice(1)], 'value "7" at position 0 is not an integer 0–255'],
    ];
    for (const [bad, reason] of cases) {
      const bytes = encode(JSON.stringify({ data: [row(5), bad] }));
      expect(scanClassFile(bytes)).toBeNull();
      const out = parseClassFile(bytes, 'f.json');
      expect(out.count).toBe(1);
      expect(out.dropped).toEqual([{ index: 1, reason }]);
    }
  });

  test('a file that is not the expected JSON shape is an error naming it', () => {
    expect(() => parseClassFile(encode('{"data": [[1,2'), '3.json')).toThrow(/3\.json: not valid JSON/);
    expect(() => parseClassFile(encode('{"images": []}'), '4.json')).toThrow(/4\.json: expected an object with a "data" array/);
    expect(parseClassFile(encode('{"data": []}'), '5.json').count).toBe(0);
  });
});
