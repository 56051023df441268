import { curveChart } from '@rdl/eval';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import type { FigureRef, ReportSectionInput } from '../shared/report.js';
import { figure } from '../shared/render.js';
import { trainConfidNetStage, type ConfidNetHistory } from './train-confidnet.js';

// ConfidNet's part of the week-3 report: the protocol choices and why, and the validation curve
// the epoch was chosen on. Validation numbers only: the test table lives in section II.

/** The validation curve per epoch (AUPR-Error and MSE), rendered from train-confidnet's history. */
export const confidNetCurve = defineStage({
  name: 'confidnet-curve',
  description: "Week 3 II: ConfidNet's validation AUPR-Error per epoch (the curve its epoch and its stopping are chosen on), as a figure",
  module: import.meta.url,
  config: z.strictObject({}),
  needs: { trainConfidNet: trainConfidNetStage },
  outputs: { curve: artifact.figure() },
  async run({ inputs }) {
    const h = inputs.trainConfidNet.history;
    const epochs = h.history.map((e) => e.epoch);
    const best = h.history[h.bestEpoch - 1];
    const ft = h.fineTune;
    // Phase 2 continues the x axis after phase 1's epochs; its epoch 0 is phase 1's chosen epoch.
    const phase2 =
      ft === null
        ? []
        : [
            {
              method: 'phase 2 (encoder copy)',
              x: ft.history.map((e) => epochs.length + e.epoch),
              y: ft.history.map((e) => e.valAuprError),
              summary:
                ft.bestEpoch === 0
                  ? 'no fine-tuned epoch beat phase 1'
                  : `best epoch ${ft.bestEpoch}: ${(100 * ft.history[ft.bestEpoch].valAuprError).toFixed(2)} %`,
            },
          ];
    return {
      curve: await figure(
        curveChart({
          curves: [
            {
              method: 'ConfidNet',
              x: epochs,
              y: h.history.map((e) => e.valAuprError),
              summary: `best epoch ${h.bestEpoch}: ${(100 * best.valAuprError).toFixed(2)} %`,
            },
            ...phase2,
          ],
          xTitle: 'epoch',
          yTitle: 'validation AUPR-Error (errors positive, dropout off)',
          title: 'II — ConfidNet: validation AUPR-Error per epoch',
          subtitle:
            `${h.validationImages} validation images (${h.validationErrors} errors), the selection half; ${h.stopped === 'patience' ? `stopped after ${h.patience} epochs without improvement` : `all ${h.maxEpochs} epochs trained`}` +
            (ft === null ? '' : `; phase 2 from kept epoch ${h.bestEpoch}`),
          xDomain: [1, Math.max(2, epochs.length + (ft?.epochs ?? 0))],
          integerX: true,
          // Zoom to the curves (AUPR-Error spans a few points here, not 0–100 %).
          yDomain: zoomed([...h.history.map((e) => e.valAuprError), ...phase2.flatMap((c) => c.y), h.validationMcpAuprError]),
          baseline: { label: 'MCP on the same images', value: h.validationMcpAuprError },
        }),
      ),
    };
  },
});

/** [lo, hi] around the values with a margin of a quarter of their span (at least 0.05), inside [0, 1]. */
function zoomed(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const margin = Math.max(0.05, (hi - lo) / 4);
  return [Math.max(0, lo - margin), Math.min(1, hi + margin)];
}

const TRAIN_ON_WHY: Record<ConfidNetHistory['trainOn'], string> = {
  train:
    "the classifier's training split, as in the paper; with dropout active many stochastic passes have a low TCP even where the deterministic net is right",
  'validation-fit':
    'half of the validation split, images the classifier never saw (its errors there look like test errors), at the price of far fewer images',
  'train+validation-fit': 'the training split plus the fit half of the validation split',
};

const PHASE2_OFF_WHY =
  "turned off in this config (fineTune.epochs 0); configs/week3.json runs one epoch at lr 1e-5, chosen on seed 0's validation split (docs/confidnet-protocol.md)";

function fineTuneRow(ft: ConfidNetHistory['fineTune']): [string, string, string] {
  if (ft === null) return ['phase 2 (encoder copy fine-tuned, dropout off)', 'not run', PHASE2_OFF_WHY];
  return [
    'phase 2 (encoder copy fine-tuned, dropout off)',
    `up to ${ft.maxEpochs} epochs${ft.patience === null ? '' : `, patience ${ft.patience}`}, Adam lr ${ft.learningRate}, batch ${ft.batchSize}`,
    "the authors' second phase: the classifier keeps its encoder (same predictions and TCP), a copy feeding the branch is fine-tuned on the ConfidNet loss; epoch 0 (phase 1) is a candidate, so it cannot lose on validation. On in configs/week3.json because it beat phase 1 on seed 0's validation split, beyond the bootstrap noise of its 25 errors (lr 1e-6, 1e-5, 1e-4 tried; docs/confidnet-protocol.md has that run and its control)",
  ];
}

function fineTuneTables(ft: ConfidNetHistory['fineTune']): NonNullable<ReportSectionInput['tables']> {
  if (ft === null) return [];
  return [
    {
      caption: 'Phase 2 validation curve (selection half; epoch 0 = phase 1 result)',
      columns: ['epoch', 'train MSE', 'validation MSE', 'validation AUPR-Error %', 'kept'],
      rows: ft.history.map((e) => [
        e.epoch,
        e.trainLoss === null ? '—' : Number(e.trainLoss.toPrecision(4)),
        Number(e.valLoss.toPrecision(4)),
        Number((100 * e.valAuprError).toFixed(2)),
        e.epoch === ft.bestEpoch ? '✓' : '',
      ]),
    },
  ];
}

function fineTuneNote(ft: ConfidNetHistory['fineTune']): string {
  if (ft === null) return `Phase 2 (the authors' encoder fine-tuning) did not run: ${PHASE2_OFF_WHY}.`;
  if (ft.bestEpoch === 0)
    return `Phase 2 ran ${ft.epochs} epochs; none beat phase 1 on validation, so phase 1's branch on LeNet's own encoder is kept.`;
  return `Phase 2 ran ${ft.epochs} epochs and kept epoch ${ft.bestEpoch}: the test scores use the fine-tuned encoder copy's features; the classifier's predictions are unchanged.`;
}

/** ConfidNet's section of the week-3 report: each protocol choice with its reason, the curve and the chosen epoch. */
export function confidNetSection(h: ConfidNetHistory, curve: FigureRef['figure']): ReportSectionInput {
  const best = h.history[h.bestEpoch - 1];
  const pct = (v: number): number => Number((100 * v).toFixed(2));
  return {
    id: 'II-ConfidNet',
    title: 'ConfidNet training protocol',
    question: 'How is ConfidNet trained, and which epoch does the validation split choose?',
    figures: [{ caption: 'Validation AUPR-Error per epoch (never the test set)', figure: curve, stage: 'confidnet-curve', name: 'curve' }],
    tables: [
      {
        caption: 'Protocol (settled on validation, see docs/confidnet-protocol.md)',
        columns: ['choice', 'value', 'why'],
        rows: [
          [
            'frozen LeNet head while training',
            h.trainingDropout > 0 ? `dropout ${h.trainingDropout} active` : 'dropout off',
            h.trainingDropout > 0
              ? "the authors' phase 1 (model.train() on a frozen net): fresh masks each batch, the branch learns the TCP of that same pass"
              : 'deterministic features and TCP (≈ 99 % of training TCPs are ≈ 1)',
          ],
          ['learns from', `${h.trainOn} (${h.trainImages} images)`, TRAIN_ON_WHY[h.trainOn]],
          [
            'epoch chosen by',
            h.selectBy === 'aupr-error' ? 'validation AUPR-Error' : 'validation MSE',
            h.selectBy === 'aupr-error'
              ? 'the authors’ criterion; MSE barely sees how the few errors are ranked'
              : 'the regression loss itself',
          ],
          [
            'epochs',
            h.patience === null ? `${h.maxEpochs}` : `up to ${h.maxEpochs}, patience ${h.patience}`,
            'the authors train for hundreds of epochs; the cap keeps a cold week-3 run within its time goal',
          ],
          ['optimiser', `Adam lr ${h.learningRate}, batch ${h.batchSize}`, "the authors' values for the branch"],
          fineTuneRow(h.fineTune),
        ],
      },
      {
        caption: 'Validation curve (selection half)',
        columns: ['epoch', 'train MSE', 'validation MSE', 'validation AUPR-Error %', 'kept'],
        rows: h.history.map((e) => [
          e.epoch,
          Number(e.trainLoss.toPrecision(4)),
          Number(e.valLoss.toPrecision(4)),
          pct(e.valAuprError),
          e.epoch === h.bestEpoch ? '✓' : '',
        ]),
      },
      ...fineTuneTables(h.fineTune),
    ],
    notes: [
      `Epoch ${h.bestEpoch} of ${h.epochs} kept (${h.selection}), validation AUPR-Error ${pct(best.valAuprError)} % on ${h.validationImages} images with ${h.validationErrors} errors; training ${h.stopped === 'patience' ? 'stopped by patience' : 'ran every epoch'}.`,
      `On the same validation images MCP's AUPR-Error is ${pct(h.validationMcpAuprError)} %: ConfidNet's kept epoch is ${best.valAuprError > h.validationMcpAuprError ? 'above' : 'not above'} it by validation, before any test image is scored.`,
      'The validation split is halved (seeded): a selection half that chooses the epoch for every trainOn choice, and a fit half that only the validation-fit choices learn from.',
      fineTuneNote(h.fineTune),
    ],
  };
}
