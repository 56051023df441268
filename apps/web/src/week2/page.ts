/**
 * The week-2 playground: two moons or blobs, click to add points, drag the noise and the number of
 * points; the worker retrains the four methods and the page draws their predictive-entropy maps
 * with the week-2 chart code and states the SPEC's far-entropy claim as numbers.
 */
import { blobsDataset, moonsDataset } from '@rdl/data';
import { CLASS_COLORS, decisionMapChart } from '@rdl/eval';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import workerSource from 'rdl-worker:week2';
import { byTestId, setText, showError, startWorker } from '../shared/dom.js';
import { PLANES, PLAYGROUND_SETTINGS } from './settings.js';
import type { MethodMap, PlaygroundDataset, PlaygroundReply, TrainRequest } from './protocol.js';

type Result = Extract<PlaygroundReply, { type: 'result' }>;

/** `data-testid` suffix of a method. */
export const slug = (method: string): string => method.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** The SPEC's claim: far from the data, these are more uncertain than the deterministic net. */
const CLAIMED = ['Laplace', 'VI', 'MC dropout'];
/** Grid points within this distance of the added points' centre make the "added region" probe. */
const PROBE_RADIUS = { moons: 0.5, blobs: 1.2 } as const;

const state = {
  dataset: 'moons' as PlaygroundDataset,
  base: { x: new Float32Array(0) as Float32Array, y: new Uint8Array(0) as Uint8Array },
  added: [] as { x: number; y: number; label: number }[],
  result: undefined as Result | undefined,
  /** The maps in force when the first of the current added points was placed. */
  beforeAdding: undefined as Result | undefined,
  id: 0,
};

function regenerate(): void {
  const n = Number(byTestId<HTMLInputElement>('points').value);
  const noise = Number(byTestId<HTMLInputElement>('noise').value);
  setText('points-value', String(n));
  setText('noise-value', noise.toFixed(2));
  const data =
    state.dataset === 'moons'
      ? moonsDataset({ n, noise, seed: PLAYGROUND_SETTINGS.seed })
      : blobsDataset({ n, std: 0.4 + 2 * noise, seed: PLAYGROUND_SETTINGS.seed });
  state.base = { x: data.x, y: data.y };
  state.added = [];
  state.beforeAdding = undefined;
}

function allPoints(): { x: Float32Array; y: Uint8Array } {
  const n = state.base.y.length + state.added.length;
  const x = new Float32Array(2 * n);
  const y = new Uint8Array(n);
  x.set(state.base.x);
  y.set(state.base.y);
  state.added.forEach((p, i) => {
    const k = state.base.y.length + i;
    x[2 * k] = p.x;
    x[2 * k + 1] = p.y;
    y[k] = p.label;
  });
  return { x, y };
}

// ---- the plane where points are shown and added ----------------------------------------------
const PLANE_W = 420;
const PLANE_H = 330;
function toScreen(px: number, py: number): [number, number] {
  const { x0, x1 } = PLANES[state.dataset];
  return [((px - x0[0]) / (x0[1] - x0[0])) * PLANE_W, (1 - (py - x1[0]) / (x1[1] - x1[0])) * PLANE_H];
}
function toData(sx: number, sy: number): [number, number] {
  const { x0, x1 } = PLANES[state.dataset];
  return [x0[0] + (sx / PLANE_W) * (x0[1] - x0[0]), x1[0] + (1 - sy / PLANE_H) * (x1[1] - x1[0])];
}

function drawPlane(): void {
  const canvas = byTestId<HTMLCanvasElement>('plane');
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, PLANE_W, PLANE_H);
  const det = state.result?.methods.find((m) => m.method === 'Deterministic');
  if (det && state.result) {
    // The deterministic net's p(y = 1 | x) as a faint background, for orientation.
    const r = state.result.resolution;
    const cw = PLANE_W / (r - 1);
    const ch = PLANE_H / (r - 1);
    for (let k = 0; k < r * r; k++) {
      const [sx, sy] = toScreen(state.result.grid[2 * k]!, state.result.grid[2 * k + 1]!);
      const p = det.probs[k]!;
      ctx.fillStyle = p >= 0.5 ? `rgba(230,126,34,${(p - 0.5) * 0.5})` : `rgba(52,101,164,${(0.5 - p) * 0.5})`;
      ctx.fillRect(sx - cw / 2, sy - ch / 2, cw, ch);
    }
  }
  const { x, y } = allPoints();
  for (let i = 0; i < y.length; i++) {
    const [sx, sy] = toScreen(x[2 * i]!, x[2 * i + 1]!);
    ctx.beginPath();
    ctx.arc(sx, sy, i >= state.base.y.length ? 4 : 2.5, 0, 2 * Math.PI);
    ctx.fillStyle = CLASS_COLORS[y[i]! % CLASS_COLORS.length]!;
    ctx.fill();
    if (i >= state.base.y.length) {
      ctx.strokeStyle = '#1f2933';
      ctx.stroke();
    }
  }
}

// ---- training ------------------------------------------------------------------------------
let worker: Worker;
let trainTimer: number | undefined;
function scheduleTraining(delay = 350): void {
  window.clearTimeout(trainTimer);
  trainTimer = window.setTimeout(() => {
    const { x, y } = allPoints();
    state.id += 1;
    const request: TrainRequest = { type: 'train', id: state.id, dataset: state.dataset, x, y };
    byTestId('train-state').textContent = 'training…';
    byTestId('train-state').dataset.trainedId = '';
    worker.postMessage(request);
  }, delay);
}

function onReply(reply: PlaygroundReply): void {
  if (reply.type === 'ready') return setText('backend', reply.backend);
  if (reply.type === 'error') return showError(reply.message);
  if (reply.id !== state.id) return; // an older request
  if (reply.type === 'progress') {
    const bar = byTestId<HTMLProgressElement>('progress');
    bar.max = reply.total;
    bar.value = reply.done;
    setText('progress-label', reply.done < reply.total ? `${reply.done} of ${reply.total} trained, next after ${reply.label}` : 'drawing…');
    return;
  }
  state.result = reply;
  drawPlane();
  showNumbers(reply);
  void drawMaps(reply).then(() => {
    const done = byTestId('train-state');
    done.textContent = 'trained';
    setText('progress-label', `all ${reply.methods.length} methods trained`);
    done.dataset.trainedId = String(reply.id);
  });
}

// ---- numbers and claims ----------------------------------------------------------------------
const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : String(v));

function probe(result: Result | undefined, method: string): number | undefined {
  if (!result || state.added.length === 0) return undefined;
  const cx = state.added.reduce((s, p) => s + p.x, 0) / state.added.length;
  const cy = state.added.reduce((s, p) => s + p.y, 0) / state.added.length;
  const m = result.methods.find((q) => q.method === method);
  if (!m) return undefined;
  const r2 = PROBE_RADIUS[result.dataset] ** 2;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < m.entropy.length; k++) {
    const dx = result.grid[2 * k]! - cx;
    const dy = result.grid[2 * k + 1]! - cy;
    if (dx * dx + dy * dy <= r2) {
      sum += m.entropy[k]!;
      count++;
    }
  }
  return count ? sum / count : undefined;
}

function showNumbers(result: Result): void {
  const rows = result.methods.map((m: MethodMap) => {
    const s = slug(m.method);
    const before = probe(state.beforeAdding, m.method);
    const after = probe(result, m.method);
    return `<tr><th>${m.method}</th><td>${f3(m.trainAccuracy)}</td><td data-testid="entropy-near-${s}">${f3(m.entropyNear)}</td>
      <td data-testid="entropy-far-${s}">${f3(m.entropyFar)}</td>
      <td data-testid="entropy-added-before-${s}">${before === undefined ? '–' : f3(before)}</td>
      <td data-testid="entropy-added-${s}">${after === undefined ? '–' : f3(after)}</td><td>${m.seconds.toFixed(1)} s</td></tr>`;
  });
  byTestId('numbers').innerHTML = rows.join('');
  const det = result.methods.find((m) => m.method === 'Deterministic')!;
  byTestId('claims').innerHTML = CLAIMED.map((name) => {
    const m = result.methods.find((q) => q.method === name)!;
    const holds = m.entropyFar > det.entropyFar;
    return `<li data-testid="claim-${slug(name)}" data-holds="${holds}">${name} far entropy ${f3(m.entropyFar)} nats ${holds ? '>' : '≤'} deterministic ${f3(det.entropyFar)} nats: <span class="${holds ? 'ok' : 'no'}">${holds ? 'holds' : 'does not hold'}</span></li>`;
  }).join('');
  setText(
    'far-count',
    `${det.farPoints} of ${result.grid.length / 2} grid points are farther than ${result.farDistance} from every training point.`,
  );
}

async function drawMaps(result: Result): Promise<void> {
  const { x, y } = allPoints();
  const spec = decisionMapChart({
    panels: result.methods.map((m) => ({ title: m.method, gridX: result.grid, probs: m.probs, values: m.entropy })),
    points: { x, labels: y },
    title: 'Predictive entropy over the input plane',
    subtitle: `${result.dataset}, ${y.length} points; trained in this page`,
    valuesDomain: [0, Math.log(2)],
    panelSize: 210,
    columns: 4,
  });
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'svg', logLevel: vega.Error });
  const host = byTestId('maps');
  await view.initialize(host).runAsync();
}

function main(): void {
  const s = PLAYGROUND_SETTINGS;
  setText(
    'settings',
    `MLP 2→${s.hiddenUnits}→1 trained ${s.mlpEpochs} epochs (deterministic and MC dropout p = 0.2), VI ${s.viEpochs} epochs, ${s.samples} samples or passes at prediction; Laplace around a logistic MAP (${s.logisticEpochs} epochs), ${s.laplaceSamples} posterior draws; a ${s.resolution}×${s.resolution} grid. The SPEC's are 1000 epochs, 100 samples and 400 draws.`,
  );
  worker = startWorker(workerSource);
  worker.addEventListener('message', (e: MessageEvent<PlaygroundReply>) => onReply(e.data));
  worker.addEventListener('error', (e) => showError(`worker: ${e.message}`));

  const plane = byTestId<HTMLCanvasElement>('plane');
  plane.width = PLANE_W;
  plane.height = PLANE_H;
  plane.addEventListener('click', (e) => {
    const rect = plane.getBoundingClientRect();
    const [px, py] = toData(((e.clientX - rect.left) / rect.width) * PLANE_W, ((e.clientY - rect.top) / rect.height) * PLANE_H);
    const label = Number(document.querySelector<HTMLInputElement>('input[name="label"]:checked')?.value ?? '0');
    if (state.added.length === 0) state.beforeAdding = state.result;
    state.added.push({ x: px, y: py, label });
    drawPlane();
    scheduleTraining(600);
  });
  const onData = () => {
    regenerate();
    drawPlane();
    scheduleTraining();
  };
  byTestId<HTMLSelectElement>('dataset').addEventListener('change', (e) => {
    state.dataset = (e.target as HTMLSelectElement).value as PlaygroundDataset;
    state.result = undefined;
    onData();
  });
  byTestId('points').addEventListener('input', onData);
  byTestId('noise').addEventListener('input', onData);
  byTestId('reset').addEventListener('click', onData);
  onData();
}

try {
  main();
} catch (err) {
  showError(err instanceof Error ? err.message : String(err));
}
