/** The playground's settings and planes, shared by the page and its worker (no imports: the page bundle stays small). */
import type { PlaygroundDataset } from './protocol.js';

/** The page's settings (the SPEC's are 1000 epochs and 100 samples for the MLPs, 400 Laplace draws). */
export const PLAYGROUND_SETTINGS = {
  seed: 0,
  mlpEpochs: 300,
  hiddenUnits: 50,
  viEpochs: 300,
  samples: 50,
  logisticEpochs: 20,
  logisticWeightDecay: 5e-2,
  laplaceSamples: 200,
  resolution: 41,
} as const;

/** The grid the maps are drawn on and the "far" distance of each data set, as in configs/week2.json. */
export const PLANES: Record<PlaygroundDataset, { x0: [number, number]; x1: [number, number]; farDistance: number }> = {
  moons: { x0: [-3, 4], x1: [-2.5, 3], farDistance: 1.5 },
  blobs: { x0: [-8, 8], x1: [-8, 8], farDistance: 2.5 },
};

export function planeGrid(dataset: PlaygroundDataset, resolution: number = PLAYGROUND_SETTINGS.resolution): Float32Array {
  const { x0, x1 } = PLANES[dataset];
  const grid = new Float32Array(2 * resolution * resolution);
  for (let iy = 0; iy < resolution; iy++)
    for (let ix = 0; ix < resolution; ix++) {
      const k = iy * resolution + ix;
      grid[2 * k] = x0[0] + ((x0[1] - x0[0]) * ix) / (resolution - 1);
      grid[2 * k + 1] = x1[0] + ((x1[1] - x1[0]) * iy) / (resolution - 1);
    }
  return grid;
}
