import { describe, expect, it } from 'vitest';
import { regressionChart } from '../../src/charts/regression.js';
import { countMarks, linspace, renderOk } from './chart-checks.js';

describe('regression and variance charts', () => {
  const xTest = linspace(-10, 10, 60);
  const mean = xTest.map((x) => 0.5 * x - 0.3);
  const std = xTest.map((x) => 0.3 + 0.05 * Math.abs(x - 1));
  const xTrain = linspace(0, 2, 12);
  const yTrain = xTrain.map((x) => 0.5 * x - 0.3 + 0.1 * Math.sin(7 * x));

  it('renders bands, mean, truth, points, barycentre and a legend', async () => {
    const spec = regressionChart({
      xTest,
      mean,
      std,
      truth: mean,
      xTrain,
      yTrain,
      trainRange: [0, 2],
      barycentre: 1,
      title: 'Fit 1.4 test',
    });
    const r = await renderOk(spec, 'Fit 1.4 test');
    expect(countMarks(r.svg, 'symbol')).toBe(xTrain.length); // legend symbols live in role-legend-symbol groups
    expect(countMarks(r.svg, 'area')).toBe(3);
    expect(countMarks(r.svg, 'line')).toBe(2);
    expect(countMarks(r.svg, 'rule')).toBe(1);
    for (const label of ['±1σ', '±2σ', '±3σ', 'Training area', 'Training barycentre', 'Noise-free truth']) expect(r.svg).toContain(label);
  });

  it('shades every interval of a two-cloud training set', async () => {
    const spec = regressionChart({
      xTest,
      mean,
      std,
      xTrain,
      yTrain,
      trainRange: [
        [-3, -1],
        [1, 3],
      ],
      title: 'Two clouds',
    });
    const r = await renderOk(spec, 'Two clouds');
    // 2 training-area rects (legend swatches are symbols, not rects).
    expect(countMarks(r.svg, 'rect')).toBe(2);
  });

  it('rejects mismatched lengths naming the field', () => {
    expect(() => regressionChart({ xTest, mean: mean.slice(1), std, xTrain, yTrain, trainRange: [0, 2], title: 't' })).toThrow(
      /regressionChart: mean: length 59/,
    );
    expect(() => regressionChart({ xTest, mean, std, xTrain, yTrain, trainRange: [2, 0], title: 't' })).toThrow(/trainRange/);
  });
});
