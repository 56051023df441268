import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import {
  METHOD_COLORS,
  canonicalMethod,
  compactSvg,
  curveChart,
  decisionMapChart,
  estimateTextWidth,
  imageGridChart,
  isoSegments,
  posteriorGridChart,
  readLattice,
  regressionChart,
  renderChart,
  seriesColors,
  thinCurve,
  varianceChart,
  voteHistogramChart,
  voteHistogramGridChart,
} from '../src/index.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Paths inside vega's mark groups of one type ("symbol", "rect", "rule", ...). */
function countMarks(svg: string, type: string, layer = ''): number {
  const re = new RegExp(`<g class="mark-${type} role-mark [^"]*${layer}[^"]*"[^>]*>([\\s\\S]*?)</g>`, 'g');
  let n = 0;
  for (const m of svg.matchAll(re)) n += (m[1].match(/<(path|line|image|text)\b/g) ?? []).length;
  return n;
}

async function renderOk(spec: Parameters<typeof renderChart>[0], title: string) {
  const r = await renderChart(spec);
  expect(r.svg.startsWith('<svg')).toBe(true);
  expect(r.svg).toContain(title);
  expect(Array.from(r.png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
  const img = decode(r.png);
  // PNG is the SVG at scale 2.
  expect(img.width).toBe(Math.round(r.width * 2));
  expect(img.height).toBe(Math.round(r.height * 2));
  expect(r.width).toBeGreaterThan(200);
  expect(r.height).toBeGreaterThan(150);
  return r;
}

const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

describe('theme', () => {
  it('maps method spellings to one fixed colour', () => {
    expect(canonicalMethod('MC Dropout')).toBe('MC dropout');
    expect(canonicalMethod('mc_dropout (T=100)')).toBe('MC dropout');
    expect(canonicalMethod('Deterministic')).toBe('MAP');
    expect(canonicalMethod('VI (100 samples)')).toBe('VI');
    expect(canonicalMethod('something else')).toBeUndefined();
    const c = seriesColors(['ODIN', 'mystery', 'MCP']);
    expect(c[0]).toBe(METHOD_COLORS.ODIN);
    expect(c[2]).toBe(METHOD_COLORS.MCP);
    expect(c[1]).not.toBe(c[0]);
    expect(c[1]).not.toBe(c[2]);
  });

  it('estimates text narrower than vega’s 0.8 em guess, wider for capitals', () => {
    expect(estimateTextWidth('iiii', 10)).toBeLessThan(estimateTextWidth('MMMM', 10));
    expect(estimateTextWidth('Predictive mean', 11)).toBeLessThan(0.8 * 15 * 11);
  });

  it('compactSvg rounds geometry but never text', () => {
    const s = compactSvg('<path transform="translate(1.23456,-0.0001)" d="M0.33333,1L2,2"/><text x="3.14159">0.12345</text>');
    expect(s).toBe('<path transform="translate(1.23,0)" d="M0.33,1L2,2"/><text x="3.14">0.12345</text>');
  });
});

describe('regression and variance charts', () => {
  const xTest = linspace(-10, 10, 60);
  const mean = xTest.map((x) => 0.5 * x - 0.3);
  const std = xTest.map((x) => 0.3 + 0.05 * Math.abs(x - 1));
  const xTrain = linspace(0, 2, 12);
  const yTrain = xTrain.map((x) => 0.5 * x - 0.3 + 0.1 * Math.sin(7 * x));

  it('renders bands, mean, truth, points, barycentre and a legend', async () => {
    const spec = regressionChart({ xTest, mean, std, truth: mean, xTrain, yTrain, trainRange: [0, 2], barycentre: 1, title: 'Fit 1.4 test' });
    const r = await renderOk(spec, 'Fit 1.4 test');
    expect(countMarks(r.svg, 'symbol')).toBe(xTrain.length); // legend symbols live in role-legend-symbol groups
    expect(countMarks(r.svg, 'area')).toBe(3);
    expect(countMarks(r.svg, 'line')).toBe(2);
    expect(countMarks(r.svg, 'rule')).toBe(1);
    for (const label of ['±1σ', '±2σ', '±3σ', 'Training area', 'Training barycentre', 'Noise-free truth']) expect(r.svg).toContain(label);
  });

  it('shades every interval of a two-cloud training set', async () => {
    const spec = regressionChart({ xTest, mean, std, xTrain, yTrain, trainRange: [[-3, -1], [1, 3]], title: 'Two clouds' });
    const r = await renderOk(spec, 'Two clouds');
    // 2 training-area rects (legend swatches are symbols, not rects).
    expect(countMarks(r.svg, 'rect')).toBe(2);
  });

  it('rejects mismatched lengths naming the field', () => {
    expect(() => regressionChart({ xTest, mean: mean.slice(1), std, xTrain, yTrain, trainRange: [0, 2], title: 't' })).toThrow(/regressionChart: mean: length 59/);
    expect(() => regressionChart({ xTest, mean, std, xTrain, yTrain, trainRange: [2, 0], title: 't' })).toThrow(/trainRange/);
  });

  it('overlays an analytic variance dashed with markers and a 1/β rule', async () => {
    const v = xTest.map((x) => 1 + 0.04 + (x - 1) ** 2 / 4);
    const spec = varianceChart({ xTest, variance: v, series: [{ name: 'analytic σ²', values: v }], trainRange: [0, 2], barycentre: 1, reference: { label: '1/β', value: 1 }, title: 'Variance 1.5' });
    const r = await renderOk(spec, 'Variance 1.5');
    expect(countMarks(r.svg, 'line')).toBe(2);
    expect(r.svg).toContain('stroke-dasharray="6,4"');
    expect(r.svg).toContain('1/β = 1');
    expect(countMarks(r.svg, 'rule')).toBe(2); // barycentre + reference
  });
});

describe('posterior grid', () => {
  it('draws one raster per panel and the true weights', async () => {
    const R = 12;
    const panels = [0, 5].map((N) => ({
      title: `N = ${N}`,
      density: Float64Array.from({ length: R * R }, (_, k) => Math.exp(-(((k % R) - 5) ** 2) / (N + 2) - (Math.floor(k / R) - 6) ** 2 / 4)),
      resolution: R,
      w0Range: [-1, 1] as [number, number],
      w1Range: [-1, 1] as [number, number],
    }));
    const r = await renderOk(posteriorGridChart({ panels, truth: { w0: -0.3, w1: 0.5 }, title: 'Posterior test' }), 'Posterior test');
    expect(countMarks(r.svg, 'image')).toBe(2);
    expect(r.svg).toContain('N = 5');
    expect(r.svg).toContain('w₀');
    expect(() => posteriorGridChart({ panels: [{ ...panels[0], resolution: 11 }], truth: { w0: 0, w1: 0 } })).toThrow(/panels\.0\.density: density length must be resolution²/);
  });
});

describe('decision maps', () => {
  const R = 21;
  const coords = linspace(-3, 3, R);
  // Deliberately x2-fastest order: the lattice must be read from the coordinates.
  const gridX = new Float32Array(R * R * 2);
  const probs = new Float64Array(R * R);
  let k = 0;
  for (const a of coords) {
    for (const b of coords) {
      gridX[2 * k] = a;
      gridX[2 * k + 1] = b;
      probs[k] = 1 / (1 + Math.exp(-3 * a));
      k++;
    }
  }
  const entropy = probs.map((p) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p)));

  it('reads a lattice in any order', () => {
    const lat = readLattice(gridX, 't');
    expect(lat.xs).toHaveLength(R);
    expect(gridX[2 * lat.index[3 * R + 5]]).toBeCloseTo(coords[5]);
    expect(gridX[2 * lat.index[3 * R + 5] + 1]).toBeCloseTo(coords[3]);
    expect(() => readLattice(gridX.subarray(0, gridX.length - 2), 't')).toThrow(/not a full regular lattice/);
  });

  it('finds the p = 0.5 boundary of a linear field', () => {
    const lat = readLattice(gridX, 't');
    const segs = isoSegments((ix, iy) => probs[lat.index[iy * R + ix]], lat.xs, lat.ys, 0.5);
    expect(segs).toHaveLength(R - 1);
    for (const s of segs) {
      expect(s.x).toBeCloseTo(0, 6);
      expect(s.x2).toBeCloseTo(0, 6);
    }
  });

  it('renders panels side by side with boundary, points and legends', async () => {
    const n = 40;
    const x = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? (i < n ? -2 : 2) : 0.5 * Math.sin(i)));
    const labels = Uint8Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    const spec = decisionMapChart({
      panels: [
        { title: 'MAP', gridX, probs, resolution: R },
        { title: 'Laplace', gridX, probs, values: entropy, resolution: R },
      ],
      points: { x, labels },
      title: 'Maps test',
    });
    const r = await renderOk(spec, 'Maps test');
    expect(countMarks(r.svg, 'image')).toBe(2);
    expect(countMarks(r.svg, 'rule')).toBe(2 * (R - 1));
    expect(r.svg).toContain('p(y=1|x)');
    expect(r.svg).toContain('predictive entropy');
    expect(r.svg).toContain('class 1');
    expect(() => decisionMapChart({ panels: [{ title: 'a', gridX, probs: probs.subarray(1) }], points: { x, labels } })).toThrow(/panels\.0\.probs/);
  });
});

describe('curves', () => {
  it('thins dense curves but keeps both ends', () => {
    const x = linspace(0, 1, 10_001);
    const t = thinCurve(x, x, 0.002);
    expect(t.x.length).toBeLessThan(800);
    expect(t.x[0]).toBe(0);
    expect(t.x[t.x.length - 1]).toBe(1);
  });

  it('puts every method with its summary in the legend', async () => {
    const x = linspace(0, 1, 50);
    const spec = curveChart({
      curves: [
        { method: 'MCP', x, y: x.map((r) => 1 - 0.6 * r), summary: 'AUPR 35.1%' },
        { method: 'ConfidNet', x, y: x.map((r) => 1 - 0.4 * r), summary: 'AUPR 45.9%' },
      ],
      xTitle: 'recall',
      yTitle: 'precision',
      title: 'PR test',
      baseline: { label: 'error rate', value: 0.02 },
    });
    const r = await renderOk(spec, 'PR test');
    expect(r.svg).toContain('MCP — AUPR 35.1%');
    expect(r.svg).toContain('ConfidNet — AUPR 45.9%');
    expect(countMarks(r.svg, 'line')).toBe(2);
    expect(r.svg).toContain(METHOD_COLORS.ConfidNet);
  });
});

describe('digits', () => {
  const K = 6;
  const images = new Uint8Array(K * 784);
  for (let i = 0; i < K; i++) for (let p = 0; p < 784; p++) images[i * 784 + p] = (p + i * 7) % 28 < 5 ? 255 : 0;

  it('lays out K images with captions', async () => {
    const spec = imageGridChart({ images, labels: [0, 1, 2, 3, 4, 5], captions: images.length ? Array.from({ length: K }, (_, i) => `VR ${i / 10}`) : [], flagged: [false, true, false, false, false, false], columns: 3, title: 'Digits test' });
    const r = await renderOk(spec, 'Digits test');
    expect(countMarks(r.svg, 'image')).toBe(K);
    expect(r.svg).toContain('VR 0.5');
    expect(r.svg).toContain('#c0392b');
    expect(() => imageGridChart({ images, captions: ['a'], title: 't' })).toThrow(/captions: 1 captions for 6 images/);
  });

  it('draws one vote bar per class, single and small multiples', async () => {
    const votes = [0, 0, 0, 0, 0, 10, 80, 0, 10, 0];
    const one = await renderOk(voteHistogramChart({ votes, probs: votes.map((v) => v / 100), trueLabel: 6, image: images.subarray(0, 784), title: 'Votes test' }), 'Votes test');
    expect(countMarks(one.svg, 'rect', 'concat_1_layer_0_marks')).toBe(10); // bars (ticks are rects too, in layer 2)
    expect(countMarks(one.svg, 'rect')).toBe(21); // + 10 probability ticks + the image frame
    expect(one.svg).toContain('VR 0.20');
    const grid = await renderOk(
      voteHistogramGridChart({ items: [{ votes, trueLabel: 6 }, { votes, trueLabel: 5, image: images.subarray(784, 1568) }], title: 'Votes grid' }),
      'Votes grid',
    );
    expect(countMarks(grid.svg, 'rect')).toBe(21); // 2 × 10 bars + 1 image frame
    expect(grid.svg).toContain('predicted (wrong)');
    expect(() => voteHistogramChart({ votes: [0, 0], trueLabel: 0, title: 't' })).toThrow(/no votes/);
  });
});
