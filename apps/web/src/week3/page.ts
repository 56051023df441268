/**
 * The week-3 digit lab: draw a digit or load one of the exported images; the worker runs LeNet,
 * MC dropout, ConfidNet and ODIN with the weights `pipeline:week3` trained, and the page shows
 * the numbers and the two flags with the thresholds chosen on validation data.
 */
import { createRng } from '@rdl/core';
import workerSource from 'rdl-worker:week3';
import { byTestId, setText, showError, startWorker } from '../shared/dom.js';
import { fromBase64, parseModelBundle, type Images, type ModelBundle } from '../shared/model-bundle.js';
import { inkFromRgba, SIDE, toMnist } from './preprocess.js';
import type { LabReply, LabRequest, LabResult } from './protocol.js';

declare global {
  interface Window {
    RDL_MODEL?: unknown;
    /** Set when the lab is ready: what the browser tests and the benchmark drive. */
    rdlLab?: { classify(pixels: Uint8Array): Promise<LabResult>; backend: string };
  }
}

const CANVAS = 280;
const fmt = (v: number, digits = 3): string => v.toFixed(digits);

function main(): void {
  let model: ModelBundle;
  try {
    if (window.RDL_MODEL === undefined)
      throw new Error('no trained weights in this site: run `npx rdl web export` (after pipeline:week3), then `npx nx run web:build`');
    model = parseModelBundle(window.RDL_MODEL);
  } catch (err) {
    showError(err instanceof Error ? err.message : String(err));
    return;
  }
  const pools: Record<'mnist' | 'fashion' | 'failures', { images: Images; pixels: Uint8Array }> = {
    mnist: { images: model.samples.mnist, pixels: fromBase64(model.samples.mnist.pixels) },
    fashion: { images: model.samples.fashion, pixels: fromBase64(model.samples.fashion.pixels) },
    failures: { images: model.samples.failures, pixels: fromBase64(model.samples.failures.pixels) },
  };
  const seed = Number(new URLSearchParams(location.search).get('seed') ?? '0');
  const rng = createRng(Number.isInteger(seed) ? seed : 0);
  stateThresholds(model);

  const worker = startWorker(workerSource);
  const pending = new Map<number, (r: LabResult) => void>();
  let nextId = 1;
  let ready: (backend: string) => void;
  const readyPromise = new Promise<string>((resolve) => (ready = resolve));
  worker.addEventListener('message', (event: MessageEvent<LabReply>) => {
    const reply = event.data;
    if (reply.type === 'ready') {
      const fallback = reply.fallbackReason ? ` (wasm unavailable: ${reply.fallbackReason})` : '';
      setText(
        'backend',
        `${reply.backend}${reply.backend === 'wasm' ? `, SIMD ${reply.simd ? 'on' : 'off'}, ${reply.kernels} rdl kernels` : ''}${fallback}`,
      );
      ready(reply.backend);
    } else if (reply.type === 'result') {
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    } else showError(reply.message);
  });
  worker.addEventListener('error', (event) => showError(`worker: ${event.message}`));
  const post = (request: LabRequest, transfer: Transferable[] = []) => worker.postMessage(request, transfer);
  post({ type: 'init', model });

  const classify = async (pixels: Uint8Array): Promise<LabResult> => {
    await readyPromise;
    const id = nextId++;
    const result = new Promise<LabResult>((resolve) => pending.set(id, resolve));
    post({ type: 'classify', id, pixels: pixels.slice() });
    return result;
  };

  const canvas = byTestId<HTMLCanvasElement>('canvas');
  canvas.width = CANVAS;
  canvas.height = CANVAS;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, CANVAS, CANVAS);
  };
  clear();
  let showingSample = false;
  let latest = 0;

  const show = async (pixels: Uint8Array, caption: string) => {
    const ticket = ++latest;
    setText('source', caption);
    byTestId('status').textContent = 'computing…';
    const r = await classify(pixels);
    if (ticket !== latest) return; // a newer image was asked for meanwhile
    render(r);
    byTestId('status').textContent = `done in ${fmt(r.ms, 0)} ms`;
  };

  const paintDigit = (pixels: Uint8Array) => {
    const img = ctx.createImageData(SIDE, SIDE);
    for (let i = 0; i < SIDE * SIDE; i++) {
      img.data.set([pixels[i]!, pixels[i]!, pixels[i]!, 255], 4 * i);
    }
    const small = document.createElement('canvas');
    small.width = SIDE;
    small.height = SIDE;
    small.getContext('2d')!.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, CANVAS, CANVAS);
    showingSample = true;
  };

  const loadFrom = (pool: keyof typeof pools, label: string) => {
    const { images, pixels } = pools[pool];
    if (images.count === 0) return showError(`no ${label} images were exported`);
    const i = rng.int(images.count);
    const digit = pixels.slice(i * 784, (i + 1) * 784);
    paintDigit(digit);
    void show(digit, `${label} #${i} (label ${pool === 'fashion' ? `${images.labels[i]} of Fashion-MNIST` : images.labels[i]})`);
  };
  byTestId('load-mnist').addEventListener('click', () => loadFrom('mnist', 'MNIST test digit'));
  byTestId('load-failure').addEventListener('click', () => loadFrom('failures', 'misclassified MNIST test digit'));
  byTestId('load-fashion').addEventListener('click', () => loadFrom('fashion', 'Fashion-MNIST image'));
  byTestId('clear').addEventListener('click', () => {
    clear();
    showingSample = false;
  });

  // Drawing: white round strokes on black, classified when a stroke ends.
  let drawing = false;
  const at = (e: PointerEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    return [((e.clientX - rect.left) / rect.width) * CANVAS, ((e.clientY - rect.top) / rect.height) * CANVAS];
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (showingSample) clear();
    showingSample = false;
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 20;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...at(e));
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    ctx.lineTo(...at(e));
    ctx.stroke();
  });
  const endStroke = () => {
    if (!drawing) return;
    drawing = false;
    const digit = toMnist(inkFromRgba(ctx.getImageData(0, 0, CANVAS, CANVAS).data, CANVAS), CANVAS);
    if (digit) void show(digit, 'your drawing');
  };
  canvas.addEventListener('pointerup', endStroke);
  canvas.addEventListener('pointercancel', endStroke);

  window.rdlLab = {
    classify,
    get backend() {
      return byTestId('backend').textContent ?? '';
    },
  };
  // On load: a default MNIST test digit (the first of the seeded draws).
  loadFrom('mnist', 'MNIST test digit');
}

function stateThresholds(model: ModelBundle): void {
  const { error, ood } = model.thresholds;
  const s = model.source;
  setText(
    'threshold-error',
    `ConfidNet ${error.flagWhen} ${fmt(error.threshold, 4)}: keeps ${fmt(100 * error.kept, 1)} % of the ${error.count} correctly classified validation images (target ${fmt(100 * error.keep, 0)} %)`,
  );
  setText(
    'threshold-ood',
    `ODIN (T = ${model.odin.temperature}, ε = ${model.odin.epsilon}, from ${s.odinStage}) ${ood.flagWhen} ${fmt(ood.threshold, 6)}: keeps ${fmt(100 * ood.kept, 1)} % of the ${ood.count} MNIST validation images (target ${fmt(100 * ood.keep, 0)} %)`,
  );
  setText(
    'weights-source',
    `LeNet: ${s.lenetEpochs} epoch(s), validation accuracy ${fmt(100 * s.validationAccuracy, 2)} % on ${s.validationImages} images; ConfidNet: epoch ${s.confidnetBestEpoch} of ${s.confidnetEpochs}${s.confidnetPhase2 === null ? '' : s.confidnetPhase2.bestEpoch > 0 ? `, then encoder copy fine-tuned (phase 2, epoch ${s.confidnetPhase2.bestEpoch} of ${s.confidnetPhase2.epochs})` : ', phase 2 ran but phase 1 was kept'}; config "${s.config}".`,
  );
}

function render(r: LabResult): void {
  setText('prediction', String(r.prediction));
  // Which request these numbers answer (tests wait for it to change).
  byTestId('prediction').dataset.resultId = String(r.id);
  setText('mcp', fmt(r.mcp));
  setText('confidnet', fmt(r.confidnet));
  setText('odin', fmt(r.odin, 6));
  const flag = (name: string, on: boolean, yes: string) => {
    const el = byTestId(name);
    el.textContent = on ? yes : 'no';
    el.classList.toggle('on', on);
  };
  flag('flag-error', r.flagError, 'likely wrong');
  flag('flag-ood', r.flagOod, 'likely out of distribution');
  const votes = byTestId('votes');
  votes.dataset.votes = JSON.stringify(r.votes);
  votes.dataset.passes = String(r.passes);
  votes.replaceChildren(
    ...r.votes.map((v, k) => {
      const bar = document.createElement('div');
      bar.className = 'vote';
      bar.innerHTML = `<span class="digit">${k}</span><span class="bar" style="height:${(80 * v) / r.passes}%"></span><span class="count">${v}</span>`;
      bar.title = `${v} of ${r.passes} passes vote ${k}`;
      return bar;
    }),
  );
  setText('mc-prediction', `${r.mcPrediction} (${r.votes[r.mcPrediction]} of ${r.passes} votes)`);
}

try {
  main();
} catch (err) {
  showError(err instanceof Error ? err.message : String(err));
}
