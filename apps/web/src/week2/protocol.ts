/** Messages between the week-2 playground and its worker. */

export type PlaygroundDataset = 'moons' | 'blobs';

export interface TrainRequest {
  type: 'train';
  id: number;
  dataset: PlaygroundDataset;
  /** N×2 points and their 0/1 labels. */
  x: Float32Array;
  y: Uint8Array;
}

export interface MethodMap {
  method: string;
  /** Mean p(y = 1 | x) and predictive entropy (nats) on the grid. */
  probs: Float64Array;
  entropy: Float64Array;
  /** Mean predictive entropy on the training points (near) and on the far grid points. */
  entropyNear: number;
  entropyFar: number;
  farPoints: number;
  trainAccuracy: number;
  seconds: number;
}

export type PlaygroundReply =
  | { type: 'ready'; backend: string }
  | { type: 'progress'; id: number; done: number; total: number; label: string }
  | {
      type: 'result';
      id: number;
      dataset: PlaygroundDataset;
      grid: Float32Array;
      resolution: number;
      farDistance: number;
      methods: MethodMap[];
    }
  | { type: 'error'; id: number; message: string };
