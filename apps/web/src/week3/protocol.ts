/** Messages between the digit lab page and its worker. */
import type { ModelBundle } from '../shared/model-bundle.js';

export type LabRequest = { type: 'init'; model: ModelBundle } | { type: 'classify'; id: number; pixels: Uint8Array };

export interface LabResult {
  id: number;
  prediction: number;
  /** Max softmax probability, dropout off. */
  mcp: number;
  probs: number[];
  /** MC dropout: votes per class over T passes (they sum to T), and the vote winner. */
  votes: number[];
  passes: number;
  mcPrediction: number;
  /** ConfidNet's predicted true-class probability. */
  confidnet: number;
  /** ODIN's temperature-scaled max softmax of the nudged input. */
  odin: number;
  flagError: boolean;
  flagOod: boolean;
  /** Wall-clock time of all of the above in the worker. */
  ms: number;
}

export type LabReply =
  | { type: 'ready'; backend: string; simd: boolean; kernels: number; fallbackReason?: string }
  | ({ type: 'result' } & LabResult)
  | { type: 'error'; message: string };
