import type { Score } from '@rdl/core';
import { mcpScore } from '../mcp.js';
import type { UncertaintyMethod } from '../method.js';

/** N×C softmax probabilities of one deterministic pass (dropout off), row-major. */
export interface ClassProbabilities {
  probs: Float32Array;
  numClasses: number;
}

/**
 * MCP (Hendrycks & Gimpel 2017), the baseline of failure prediction and OOD detection: the
 * largest class probability. Nothing to fit, nothing to tune. Higher = more confident.
 */
export function createMcp(): UncertaintyMethod<ClassProbabilities> {
  return {
    name: 'mcp',
    space: {},
    defaults: {},
    score: async ({ probs, numClasses }): Promise<Score<Float32Array>> => mcpScore(probs, numClasses),
  };
}
