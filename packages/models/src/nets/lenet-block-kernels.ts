/**
 * This thread's wasm kernels for LeNet's two convolutional blocks (one instance per thread,
 * created on first use): passed to `LeNet.logits` in training, used by the inference helpers.
 */
import { LeNetFirstBlock } from './lenet-first-block.js';
import { LeNetSecondBlock } from './lenet-second-block.js';

export interface LeNetBlockKernels {
  first: LeNetFirstBlock;
  second: LeNetSecondBlock;
}

let perThread: Promise<LeNetBlockKernels> | undefined;

export function lenetBlockKernels(): Promise<LeNetBlockKernels> {
  perThread ??= Promise.all([LeNetFirstBlock.create(), LeNetSecondBlock.create()])
    .then(([first, second]) => ({ first, second }))
    .catch((e: unknown) => {
      perThread = undefined;
      throw e;
    });
  return perThread;
}
