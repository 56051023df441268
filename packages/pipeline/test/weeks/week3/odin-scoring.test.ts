import { imageSetToTable } from '@rdl/data';
import { LeNet } from '@rdl/models';
import { initBackend } from '@rdl/runtime';
import { beforeAll, describe, expect, test } from 'vitest';
import { lenetToArtifact } from '../../../src/weeks/week3/lenet-checkpoint.js';
import type { OdinChoice } from '../../../src/weeks/week3/odin-choice.js';
import { scoreOdinTest, scoreOdinTestUnlessScored, type OdinTestInputs } from '../../../src/weeks/week3/odin-scoring.js';
import { scoreColumn } from '../../../src/weeks/week3/tables.js';

// Images as the mnist and ood-data stages write them.
function images(count: number, seed: number) {
  const pixels = Uint8Array.from({ length: count * 784 }, (_, i) => (i * 31 + seed * 17) % 256);
  const labels = Uint8Array.from({ length: count }, (_, k) => k % 10);
  return imageSetToTable({ name: `toy-${seed}`, pixels, labels, count, height: 28, width: 28 }, { name: `toy-${seed}`, params: {} });
}

const choice = (temperature: number, epsilon: number): OdinChoice => ({
  temperature,
  epsilon,
  criterion: 'auroc',
  value: 0.9,
  grid: [{ T: temperature, eps: epsilon, value: 0.9 }],
  tuneIn: 4,
  tuneOut: 4,
});

describe('the OOD-free ODIN scores: the held-out tuning’s when both chose the same (T, ε)', () => {
  let inputs: Omit<OdinTestInputs, 'choice'>;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    const model = LeNet.create({ dropout: 0.5, seed: 3 });
    inputs = {
      weights: lenetToArtifact(model),
      meta: { dropout: 0.5, seed: 3 },
      mnistTest: images(6, 1),
      oodTest: images(5, 2),
      batchSize: 4,
    };
    model.dispose();
  });

  test('same (T, ε): the held-out tables themselves, nothing scored again', async () => {
    const heldOut = await scoreOdinTest({ ...inputs, choice: choice(1000, 0.0014) }, () => undefined);
    const facts = new Map<string, unknown>();
    const free = choice(1000, 0.0014);
    const out = await scoreOdinTestUnlessScored({ ...inputs, choice: free }, heldOut, (k, v) => facts.set(k, v));
    expect(out.test).toBe(heldOut.test);
    expect(out.ood).toBe(heldOut.ood);
    expect(out.result).toBe(free);
    expect(facts.get('sameChoiceAsHeldOut')).toBe(true);
    expect(facts.has('seconds')).toBe(false);
  });

  test('another (T, ε): scored at its own choice, as a run of its own would', async () => {
    const heldOut = await scoreOdinTest({ ...inputs, choice: choice(1000, 0.0014) }, () => undefined);
    const facts = new Map<string, unknown>();
    const out = await scoreOdinTestUnlessScored({ ...inputs, choice: choice(1, 0) }, heldOut, (k, v) => facts.set(k, v));
    const own = await scoreOdinTest({ ...inputs, choice: choice(1, 0) }, () => undefined);
    expect(facts.get('sameChoiceAsHeldOut')).toBe(false);
    const values = (t: typeof own.test, what: string) => Array.from(scoreColumn(t, 'odin', what).values);
    expect(values(out.test, 'out test')).toEqual(values(own.test, 'own test'));
    expect(values(out.ood, 'out ood')).toEqual(values(own.ood, 'own ood'));
    expect(values(out.test, 'out test')).not.toEqual(values(heldOut.test, 'held-out test'));
  });
});
