import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { parseOptions } from '../src/parse-options.js';

describe('parseOptions', () => {
  const schema = z
    .object({ epochs: z.number().int().min(1).default(3), nested: z.object({ rate: z.number().max(1) }).optional() })
    .strict();

  test('fills defaults and returns the parsed value', () => {
    expect(parseOptions(schema, {}, 'train')).toEqual({ epochs: 3 });
  });

  test('one message naming the function and the field', () => {
    expect(() => parseOptions(schema, { epochs: 0 }, 'train')).toThrow(/^train: epochs: /);
    expect(() => parseOptions(schema, { nested: { rate: 2 } }, 'train')).toThrow(/^train: nested\.rate: /);
    expect(() => parseOptions(z.number(), 'x', 'seed')).toThrow(/^seed: Invalid input/);
  });
});
