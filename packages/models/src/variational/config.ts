import { z } from 'zod';

const klMode = z.enum(['closed-form', 'single-sample']);

/**
 * Shared VI training fields. The objective minimised per step is the negative ELBO per sample:
 *   loss = (1/B) Σ_batch BCE(yᵢ, σ(fᵢ)) + klWeight · KL(q‖p) / N,
 * i.e. (NLL over the dataset + KL) / N when the batch is the full set — same minimiser as the
 * course's "ELBO = NLL + KL" with a summed NLL, but a step size independent of N.
 */
const viFields = {
  learningRate: z.number().positive().default(0.1),
  /** null ⇒ full batch. */
  batchSize: z.number().int().positive().nullable().default(null),
  /** Prior N(0, priorStd²) on all weights and biases. */
  priorStd: z.number().positive().default(1),
  muInit: z.number().default(0),
  rhoInit: z.number().default(1),
  klMode: klMode.default('closed-form'),
  /** Multiplies the KL term (1 = the true ELBO). */
  klWeight: z.number().min(0).default(1),
  /** Seeds ε in the layers and the minibatch order. */
  seed: z.number().int().default(0),
};

/** Week 2 · 1.3 — variational logistic regression (2 → 1 LinearVariational, sigmoid). */
export const variationalLogisticConfigSchema = z.object({ ...viFields, epochs: z.number().int().positive().default(30) });
export type VariationalLogisticConfig = z.infer<typeof variationalLogisticConfigSchema>;
export type VariationalLogisticConfigInput = z.input<typeof variationalLogisticConfigSchema>;

/** Week 2 · 2.1 — Bayesian MLP 2 → hidden → 1 (ReLU) with LinearVariational layers. */
export const variationalMlpConfigSchema = z.object({
  ...viFields,
  hiddenUnits: z.number().int().positive().default(50),
  epochs: z.number().int().positive().default(1000),
});
export type VariationalMlpConfig = z.infer<typeof variationalMlpConfigSchema>;
export type VariationalMlpConfigInput = z.input<typeof variationalMlpConfigSchema>;
