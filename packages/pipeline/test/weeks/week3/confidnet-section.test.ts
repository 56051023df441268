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
  fineTune: null,
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
      'phase 2 (encoder copy fine-tuned, dropout off)',
    ]);
    expect(protocol.rows[5][1]).toBe('not run');
    expect(section.notes!.join(' ')).toMatch(/Phase 2 .* did not run/);
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

  it('shows phase 2 when it ran: its curve with epoch 0 = phase 1, the kept epoch, and what the test scores use', async () => {
    const chart = await renderChart(
      curveChart({ curves: [{ method: 'x', x: [1, 2], y: [0.3, 0.4] }], xTitle: 'e', yTitle: 'a', title: 't' }),
    );
    const fineTune: ConfidNetHistory['fineTune'] = {
      maxEpochs: 3,
      epochs: 3,
      patience: 2,
      stopped: 'max-epochs',
      learningRate: 1e-6,
      batchSize: 128,
      bestEpoch: 1,
      history: [
        { epoch: 0, trainLoss: null, valLoss: 0.02, valAuprError: 0.42 },
        { epoch: 1, trainLoss: 0.03, valLoss: 0.02, valAuprError: 0.45 },
        { epoch: 2, trainLoss: 0.029, valLoss: 0.02, valAuprError: 0.44 },
        { epoch: 3, trainLoss: 0.028, valLoss: 0.02, valAuprError: 0.43 },
      ],
    };
    const section = confidNetSection({ ...history, fineTune }, { svg: chart.svg, png: chart.png });
    const phase2 = section.tables![2];
    expect(phase2.caption).toMatch(/Phase 2/);
    expect(phase2.rows.map((r) => r[4])).toEqual(['', '✓', '', '']);
    expect(phase2.rows[0][1]).toBe('—');
    expect(section.tables![0].rows[5][1]).toMatch(/up to 3 epochs, patience 2, Adam lr 0.000001/);
    expect(section.notes!.join(' ')).toMatch(/kept epoch 1: the test scores use the fine-tuned encoder copy/);
    const kept0 = confidNetSection({ ...history, fineTune: { ...fineTune, bestEpoch: 0 } }, { svg: chart.svg, png: chart.png });
    expect(kept0.notes!.join(' ')).toMatch(/none beat phase 1 on validation/);
  });
});
