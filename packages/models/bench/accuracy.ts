/**
 * Acceptance run: LeNet trained for one epoch on the 60k MNIST training images with the default
 * backend (no override) and the default hyper-parameters, then evaluated on the 10k test images.
 *   npx tsx --conditions=rdl-source packages/models/bench/accuracy.ts [--epochs 1]
 */
import { loadavg } from 'node:os';
import { defaultThreads, initBackend } from '@rdl/runtime';
import { LeNet } from '../src/nets/lenet.js';
import { DEFAULT_CLASSIFIER_TRAINING, predictProbs, trainClassifier } from '../src/training/classifier-training.js';
import { loadMnist } from './mnist-idx.js';

const epochsArg = process.argv.indexOf('--epochs');
const epochs = epochsArg > 0 ? Number(process.argv[epochsArg + 1]) : 1;
const info = await initBackend();
const train = loadMnist('train');
const test = loadMnist('test');
const net = LeNet.create({ dropout: 0.5, seed: 0 });
const { batchSize, learningRate } = DEFAULT_CLASSIFIER_TRAINING;
let last = 0;
const result = await trainClassifier(net, train, {
  epochs,
  batchSize,
  learningRate,
  seed: 0,
  onProgress: (p) => {
    if (p.batch === p.batches || performance.now() - last > 10000) {
      last = performance.now();
      console.log(`epoch ${p.epoch} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)} ${p.imagesPerSec.toFixed(0)} img/s`);
    }
  },
});
const probs = await predictProbs(net, test.pixels, test.count, { batchSize: 1000 });
let ok = 0;
for (let i = 0; i < test.count; i++) {
  let best = 0;
  for (let k = 1; k < 10; k++) if (probs[i * 10 + k] > probs[i * 10 + best]) best = k;
  if (best === test.labels[i]) ok++;
}
console.log(
  `backend ${info.name}, ${defaultThreads(info.name)} thread(s): ${epochs} epoch(s), batch ${batchSize}, lr ${learningRate}, train ${result.seconds.toFixed(1)} s, ` +
    `test accuracy ${((100 * ok) / test.count).toFixed(2)}%, load average ${loadavg()[0].toFixed(2)}`,
);
