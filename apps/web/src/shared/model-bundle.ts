/**
 * What `rdl web export` writes into the site (model/model.js sets `self.RDL_MODEL`), checked by
 * zod when the digit lab loads it. Weights stay in @rdl/models' checkpoint format (a JSON
 * manifest and the raw bytes, base64), so the lab loads them with the packages' own functions.
 */
import { parseOptions } from '@rdl/core';
import { z } from 'zod';

const checkpointSchema = z.object({ manifest: z.string().min(1), base64: z.string() });

const imagesSchema = z.object({
  count: z.number().int().min(0),
  /** count × 784 uint8 pixels, base64. */
  pixels: z.string(),
  labels: z.array(z.number().int().min(0).max(9)),
});

const thresholdSchema = z.object({
  score: z.string(),
  direction: z.enum(['higher-is-more-uncertain', 'higher-is-more-confident']),
  flags: z.enum(['error', 'success', 'ood', 'in-distribution']),
  threshold: z.number(),
  flagWhen: z.enum(['below', 'above']),
  keep: z.number(),
  kept: z.number(),
  count: z.number().int(),
});

export const modelBundleSchema = z.object({
  version: z.literal(1),
  /** How the weights were trained: the pipeline config and the facts the page states. */
  source: z.object({
    config: z.string(),
    lenetEpochs: z.number().int(),
    confidnetEpochs: z.number().int(),
    confidnetBestEpoch: z.number().int(),
    /** ConfidNet's phase 2 (encoder copy fine-tuned): epoch kept of epochs run, null when it did not run. */
    confidnetPhase2: z.object({ bestEpoch: z.number().int(), epochs: z.number().int() }).nullable(),
    validationImages: z.number().int(),
    validationAccuracy: z.number(),
    odinStage: z.string(),
  }),
  lenet: checkpointSchema.extend({ dropout: z.number(), seed: z.number().int() }),
  confidnet: checkpointSchema,
  odin: z.object({ temperature: z.number().positive(), epsilon: z.number().min(0), criterion: z.string() }),
  thresholds: z.object({ error: thresholdSchema, ood: thresholdSchema }),
  samples: z.object({ mnist: imagesSchema, fashion: imagesSchema, failures: imagesSchema }),
});
export type ModelBundle = z.infer<typeof modelBundleSchema>;
export type Images = z.infer<typeof imagesSchema>;

/** Base64 → bytes, with `atob` (pages and workers; Node has it too). */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Validates the bundle, one clear message naming the field. */
export function parseModelBundle(value: unknown): ModelBundle {
  return parseOptions(modelBundleSchema, value, 'model/model.js (RDL_MODEL)');
}
