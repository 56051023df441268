import { buildMarkdownSummary, curveChart, renderChart } from '@rdl/eval';
import { describe, expect, it } from 'vitest';
import { confidNetSection } from '../../../src/weeks/week3/confidnet-section.js';
import type { ConfidNetHistory } from '../../../src/weeks/week3/train-confidnet.js';

const history: ConfidNetHistory = {
  trainOn: 'train',
  trainingDropout: 0.5,
  trainImages: 55000,
  trainErrors: 120,
  validationImages: 2500,
  validationErrors: 30,
  validationMcpAuprError: 0.415,
  meanTrainTcp: 0.99,
  epochs: 4,
  maxEpochs: 10,
  patience: 2,
  stopped: 'patience',
  batchSize: 128,
  learningRate: 1e-4,
  bestEpoch: 2,
  selectBy: 'aupr-error',
  selection: 'highest validation AUPR-Error (errors positive, dropout off; ties: the earliest epoch)',
  history: [
    { epoch: 1, trainLoss: 0.05, valLoss: 0.02, valAuprError: 0.31 },
    { epoch: 2, trainLoss: 0.04, valLoss: 0.02, valAuprError: 0.42 },
    { epoch: 3, trainLoss: 0.035, valLoss: 0.021, valAuprError: 0.4 },
    { epoch: 4, trainLoss: 0.03, valLoss: 0.022, valAuprError: 0.42 },
  ],
};

describe("ConfidNet's report section", () => {
  it('states each protocol choice, marks the kept epoch only, and links the curve figure', async () => {
    const chart = await renderChart(
      curveChart({
        curves: [{ method: 'ConfidNet', x: [1, 2, 3, 4], y: [0.31, 0.42, 0.4, 0.42] }],
        xTitle: 'epoch',
        yTitle: 'AUPR',
        title: 't',
      }),
    );
    const section = confidNetSection(history, { svg: chart.svg, png: chart.png });
    const [protocol, curve] = section.tables!;
    expect(protocol.rows.map((r) => r[0])).toEqual([
      'frozen LeNet head while training',
      'learns from',
      'epoch chosen by',
      'epochs',
      'optimiser',
    ]);
    expect(protocol.rows[0][1]).toBe('dropout 0.5 active');
    expect(curve.rows.map((r) => r[4])).toEqual(['', '✓', '', '']);
    expect(curve.rows.map((r) => r[3])).toEqual([31, 42, 40, 42]);
    expect(section.notes![0]).toMatch(/Epoch 2 of 4 kept .* 42 % on 2500 images with 30 errors; training stopped by patience/);
    expect(section.notes![1]).toMatch(/MCP's AUPR-Error is 41.5 %: ConfidNet's kept epoch is above it by validation/);
    expect(confidNetSection({ ...history, validationMcpAuprError: 0.43 }, { svg: chart.svg, png: chart.png }).notes![1]).toMatch(
      /is not above it/,
    );
    const md = buildMarkdownSummary({
      title: 'w3',
      generatedAt: '2026-11-30T00:00:00Z',
      provenance: {},
      sections: [{ ...section, figures: [{ caption: 'c', path: '../../confidnet-curve/outputs/curve.png' }] }],
    });
    expect(md).toContain('ConfidNet training protocol');
  });
});
