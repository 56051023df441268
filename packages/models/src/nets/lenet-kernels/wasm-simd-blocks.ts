/**
 * `LeNetBlocks` in rdl's WebAssembly SIMD kernels (this folder), one instance per thread, created
 * on first use: `LeNet.logits(x, { training: true, blocks })` in training, the inference
 * helpers of training/lenet-tasks.ts otherwise. Compared with `tfjsBlocks` in the tests.
 */
import type { LeNetBlocks } from '../lenet-blocks.js';
import { LeNetFirstBlock } from './first-block.js';
import { McHead } from './mc-head.js';
import { LeNetSecondBlock } from './second-block.js';

let perThread: Promise<LeNetBlocks> | undefined;

export function wasmSimdBlocks(): Promise<LeNetBlocks> {
  perThread ??= Promise.all([LeNetFirstBlock.create(), LeNetSecondBlock.create()])
    .then(([first, second]): LeNetBlocks => ({
      name: 'wasm-simd',
      trainFirst: (x, kernel, bias) => first.train(x, kernel, bias),
      trainSecond: (x, kernel, bias) => second.train(x, kernel, bias),
      inferFirst: (pixels, start, n, kernel, bias) => first.infer(pixels, start, n, kernel, bias),
      mcHead: (weights, passes) => McHead.create(weights, passes),
    }))
    .catch((e: unknown) => {
      perThread = undefined;
      throw e;
    });
  return perThread;
}
