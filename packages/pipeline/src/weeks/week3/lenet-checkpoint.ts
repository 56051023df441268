import { deserializeWeights, LeNet, serializeWeights, type LeNetWeights } from '@rdl/models';
import { z } from 'zod';
import type { BinaryArtifact } from '../../core/artifacts.js';

/** What train-lenet stores beside the weights so a reader rebuilds the same network. */
export const lenetMetaSchema = z.object({ dropout: z.number(), seed: z.number().int() });
export type LenetMeta = z.infer<typeof lenetMetaSchema>;

export function lenetToArtifact(model: LeNet): BinaryArtifact {
  return serializeWeights(model.getWeights());
}

/** Rebuilds the trained LeNet from its checkpoint (the caller disposes it). */
export function lenetFromArtifact(weights: BinaryArtifact, meta: LenetMeta): LeNet {
  const model = LeNet.create({ dropout: meta.dropout, seed: meta.seed });
  model.setWeights(deserializeWeights(weights.manifest, weights.data) as LeNetWeights);
  return model;
}
