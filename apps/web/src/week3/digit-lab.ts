/**
 * Everything the digit lab computes for one image, with the week-3 packages: LeNet's prediction
 * and MCP, MC dropout (T = 100, LeNet's fused trunk-once path), ConfidNet on the hidden features
 * (of its fine-tuned encoder copy after phase 2),
 * ODIN at the pipeline's (T, ε), and the two validation-chosen flags.
 */
import { deriveSeed } from '@rdl/core';
import { isFlagged } from '@rdl/eval';
import { deserializeWeights, hiddenFeatures, imagesToTensor, LeNet, mcDropoutProbs, type LeNetWeights } from '@rdl/models';
import {
  confidNetEncoder,
  createConfidNet,
  createMcDropout,
  createOdin,
  type ConfidNetMethod,
  type ConfidNetWeights,
} from '@rdl/uncertainty';
import { fromBase64, type ModelBundle } from '../shared/model-bundle.js';
import type { LabResult } from './protocol.js';

/** The course's T. */
export const PASSES = 100;
/** MC dropout's seed: the same image always gets the same votes. */
const MC_SEED = deriveSeed(0, 'web/digit-lab/mc-dropout');

export interface DigitLab {
  classify(id: number, pixels: Uint8Array): Promise<LabResult>;
}

export function createDigitLab(model: ModelBundle): DigitLab {
  const lenet = LeNet.create({ dropout: model.lenet.dropout, seed: model.lenet.seed });
  lenet.setWeights(deserializeWeights(model.lenet.manifest, fromBase64(model.lenet.base64)) as LeNetWeights);
  const confidnetRecord = deserializeWeights(model.confidnet.manifest, fromBase64(model.confidnet.base64)) as ConfidNetWeights;
  const confidNet: ConfidNetMethod = createConfidNet({ weights: confidnetRecord });
  // After ConfidNet's phase 2 the branch reads the hidden layer of its own fine-tuned encoder copy.
  const confidnetScorer = confidNetEncoder(confidnetRecord, lenet);
  const odin = createOdin((x) => lenet.logits(x, { training: false }), { batchSize: 1 });
  const mcDropout = createMcDropout<Uint8Array>(
    {
      numClasses: lenet.numClasses,
      sample: (pixels, seed) => mcDropoutProbs(lenet, pixels, 1, { passes: 1, batchSize: 1, seed }),
      samplePasses: (pixels, passes, seed) => mcDropoutProbs(lenet, pixels, 1, { passes, batchSize: 1, seed }),
    },
    { passes: PASSES, seed: MC_SEED },
  );
  const odinParams = { temperature: model.odin.temperature, epsilon: model.odin.epsilon };

  return {
    async classify(id, pixels) {
      if (pixels.length !== 784) throw new Error(`classify: expected 784 pixels, got ${pixels.length}`);
      const started = performance.now();
      const features = await hiddenFeatures(lenet, pixels, 1, { batchSize: 1 });
      const probs = lenet.probsFromHidden(features, 1);
      let prediction = 0;
      for (let k = 1; k < probs.length; k++) if (probs[k]! > probs[prediction]!) prediction = k;
      const mc = await mcDropout.summarize(pixels);
      const confidnetFeatures = confidnetScorer.isCopy
        ? await hiddenFeatures(confidnetScorer.encoder, pixels, 1, { batchSize: 1 })
        : features;
      const confidnet = (await confidNet.score(confidnetFeatures)).values[0]!;
      const odinScore = (await odin.score({ pixels, count: 1, toTensor: (p, n) => imagesToTensor(p, n) }, odinParams)).values[0]!;
      return {
        id,
        prediction,
        mcp: probs[prediction]!,
        probs: Array.from(probs),
        votes: Array.from(mc.votes),
        passes: mc.passes,
        mcPrediction: mc.predicted[0]!,
        confidnet,
        odin: odinScore,
        flagError: isFlagged(confidnet, model.thresholds.error),
        flagOod: isFlagged(odinScore, model.thresholds.ood),
        ms: performance.now() - started,
      };
    },
  };
}
