import { parseOptions } from '@rdl/core';
import { z } from 'zod';

/**
 * Week 2 · 1.1 — MAP logistic regression, trained as in the course: full-batch SGD with
 * momentum, weight decay as an L2 term in the loss.
 *
 * Regulariser convention (shared with the Laplace Hessian in @rdl/uncertainty):
 *   L(θ) = (1/N) Σᵢ BCE(yᵢ, σ(θᵀφᵢ)) + ½ λ ‖θ‖²,   φ = (x1, x2, 1), θ = (w1, w2, b).
 * Its gradient adds λθ, i.e. exactly PyTorch's `SGD(weight_decay=λ)`, which decays the bias too;
 * `regularizeBias: false` leaves the bias out of the penalty.
 */
export const logisticMapConfigSchema = z.object({
  learningRate: z.number().positive().default(0.1),
  momentum: z.number().min(0).max(1).default(0.9),
  weightDecay: z.number().min(0).default(5e-2),
  epochs: z.number().int().positive().default(20),
  regularizeBias: z.boolean().default(true),
  /** Seed of the initial weights (uniform in ±1/√2, PyTorch's nn.Linear(2, 1) initialisation). */
  seed: z.number().int().default(0),
});

export type LogisticMapConfig = z.infer<typeof logisticMapConfigSchema>;
export type LogisticMapConfigInput = z.input<typeof logisticMapConfigSchema>;

/** Parse a config and throw one message naming the offending field(s). */
export function parseClassifierConfig<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  return parseOptions(schema, input ?? {}, what);
}
