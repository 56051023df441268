import { parseOptions } from '@rdl/core';
import { z } from 'zod';

/** One number of one seed's run: a method's value of a metric. */
export interface SeedValue {
  seed: number;
  method: string;
  metric: string;
  value: number;
}

/** A quantity of the study: a method's metric. */
export interface StudyQuantity {
  method: string;
  metric: string;
}

/**
 * A paired difference a − b, taken seed by seed (both from the same seed's run). `better` says
 * which sign supports the claim: 'higher' when a > b is the claim (e.g. ConfidNet − MCP on
 * AUPR-Error), 'lower' when a < b is (e.g. on AURC).
 */
export interface PairSpec {
  a: StudyQuantity;
  b: StudyQuantity;
  better: 'higher' | 'lower';
}

export interface SeedStats {
  /** Number of seeds. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); null with a single seed. */
  sd: number | null;
  min: number;
  max: number;
  /** The per-seed values, in seed order. */
  values: { seed: number; value: number }[];
}

export interface SeedSummary extends StudyQuantity, SeedStats {}

export interface PairedDifference extends SeedStats {
  a: StudyQuantity;
  b: StudyQuantity;
  better: 'higher' | 'lower';
  /** Seeds where the difference has the claimed sign (strictly). */
  seedsSupporting: number;
}

export interface SeedStudySummary {
  seeds: number[];
  summaries: SeedSummary[];
  /** One per pair whose two quantities both exist (a metric a branch does not compute yet is skipped). */
  differences: PairedDifference[];
}

const quantitySchema = z.object({ method: z.string().min(1), metric: z.string().min(1) });
const inputSchema = z.object({
  values: z.array(
    z.object({
      seed: z.number().int(),
      method: z.string().min(1),
      metric: z.string().min(1),
      value: z.number().refine(Number.isFinite, 'must be finite'),
    }),
  ),
  pairs: z.array(z.object({ a: quantitySchema, b: quantitySchema, better: z.enum(['higher', 'lower']) })),
});

/** n, mean, sample sd (n − 1), min and max of per-seed values. */
export function seedStats(values: { seed: number; value: number }[]): SeedStats {
  const n = values.length;
  if (n === 0) throw new Error('seedStats: no values');
  const sorted = [...values].sort((x, y) => x.seed - y.seed);
  const mean = sorted.reduce((s, v) => s + v.value, 0) / n;
  const sd = n < 2 ? null : Math.sqrt(sorted.reduce((s, v) => s + (v.value - mean) ** 2, 0) / (n - 1));
  return {
    n,
    mean,
    sd,
    min: Math.min(...sorted.map((v) => v.value)),
    max: Math.max(...sorted.map((v) => v.value)),
    values: sorted,
  };
}

const keyOf = (q: StudyQuantity): string => `${q.method}\u0000${q.metric}`;

/**
 * Summarises a multi-seed study: per method and metric the mean ± sample sd over seeds, and for
 * each pair the seed-by-seed differences a − b with their mean ± sd. A pair is computed over the
 * seeds where both quantities exist; a quantity present in some seeds only is an error (a seed
 * whose run lacks a number is a broken run, not a smaller sample).
 */
export function summarizeSeeds(values: SeedValue[], pairs: PairSpec[] = []): SeedStudySummary {
  const input = parseOptions(inputSchema, { values, pairs }, 'summarizeSeeds');
  const seeds = [...new Set(input.values.map((v) => v.seed))].sort((a, b) => a - b);
  const byKey = new Map<string, { quantity: StudyQuantity; values: Map<number, number> }>();
  for (const v of input.values) {
    const key = keyOf(v);
    const entry = byKey.get(key) ?? { quantity: { method: v.method, metric: v.metric }, values: new Map<number, number>() };
    if (entry.values.has(v.seed)) throw new Error(`summarizeSeeds: values: seed ${v.seed} has two values of ${v.method} ${v.metric}`);
    entry.values.set(v.seed, v.value);
    byKey.set(key, entry);
  }
  const summaries: SeedSummary[] = [];
  for (const { quantity, values: perSeed } of byKey.values()) {
    const missing = seeds.filter((s) => !perSeed.has(s));
    if (missing.length > 0) {
      throw new Error(
        `summarizeSeeds: values: ${quantity.method} ${quantity.metric} is missing for seed${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      );
    }
    summaries.push({ ...quantity, ...seedStats([...perSeed].map(([seed, value]) => ({ seed, value }))) });
  }
  const differences: PairedDifference[] = [];
  for (const pair of input.pairs) {
    const a = byKey.get(keyOf(pair.a));
    const b = byKey.get(keyOf(pair.b));
    if (!a || !b) continue;
    const diffs = seeds.map((seed) => ({ seed, value: a.values.get(seed)! - b.values.get(seed)! }));
    const stats = seedStats(diffs);
    const seedsSupporting = diffs.filter((d) => (pair.better === 'higher' ? d.value > 0 : d.value < 0)).length;
    differences.push({ a: pair.a, b: pair.b, better: pair.better, ...stats, seedsSupporting });
  }
  return { seeds, summaries, differences };
}
