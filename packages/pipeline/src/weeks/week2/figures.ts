import { classificationFromTable } from '@rdl/data';
import { decisionMapChart } from '@rdl/eval';
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { artifact } from '../../core/artifacts.js';
import { defineStage } from '../../core/stage.js';
import { figure } from '../shared/render.js';
import { datasets, type DatasetName } from './datasets.js';
import { CONVERGED_LAPLACE, CONVERGED_MAP, logistic } from './logistic.js';
import { mlps } from './mlps.js';
import { viLogistic } from './vi-logistic.js';
import { selectRows } from './predictions.js';

async function maps(
  title: string,
  subtitle: string,
  data: Table,
  dataset: DatasetName,
  panels: [Table, string][],
  values: 'p' | 'entropy' | 'mutualInformation',
) {
  const points = classificationFromTable(data);
  return figure(
    decisionMapChart({
      title,
      subtitle,
      points: { x: points.x, labels: points.y },
      valuesTitle:
        values === 'entropy' ? 'predictive entropy (nats)' : values === 'mutualInformation' ? 'mutual information (nats)' : undefined,
      valuesDomain: values === 'entropy' ? [0, Math.log(2)] : undefined,
      columns: Math.min(panels.length, 3),
      panels: panels.map(([table, method]) => {
        const rows = selectRows(table, method, dataset, 'grid');
        return { title: method, gridX: rows.x, probs: rows.p, values: values === 'p' ? undefined : rows[values] };
      }),
    }),
  );
}

export const figures = defineStage({
  name: 'figures',
  description: 'Week 2 maps: decision (mean p) and uncertainty (entropy, mutual information) maps, methods side by side',
  module: import.meta.url,
  config: z.object({}),
  needs: { datasets, logistic, viLogistic, mlps },
  outputs: {
    logisticProbability: artifact.figure(),
    logisticEntropy: artifact.figure(),
    logisticMutualInformation: artifact.figure(),
    moonsProbability: artifact.figure(),
    moonsEntropy: artifact.figure(),
    moonsMutualInformation: artifact.figure(),
    noisyMoonsEntropy: artifact.figure(),
    noisyMoonsMutualInformation: artifact.figure(),
  },
  async run({ inputs }) {
    const lg = inputs.logistic.predictions;
    const vi = inputs.viLogistic.predictions;
    const mp = inputs.mlps.predictions;
    const logisticPanels: [Table, string][] = [
      [lg, 'MAP'],
      [lg, 'Laplace'],
      [lg, 'Laplace (probit)'],
      [lg, CONVERGED_MAP],
      [lg, CONVERGED_LAPLACE],
      [vi, 'VI'],
    ];
    const mlpPanels: [Table, string][] = [
      [mp, 'Deterministic'],
      [mp, 'VI'],
      [mp, 'MC dropout'],
    ];
    const blobs = inputs.datasets.blobs;
    return {
      logisticProbability: await maps(
        '1.1–1.3 — Logistic regression: mean p(y=1|x)',
        "two blobs; top: the course's MAP (SGD, 20 epochs), Laplace around it (samples / probit); bottom: the converged MAP, Laplace around it, VI",
        blobs,
        'blobs',
        logisticPanels,
        'p',
      ),
      logisticEntropy: await maps(
        '1.1–1.3 — Logistic regression: predictive entropy',
        "top: the course's MAP and Laplace around it; bottom: the converged MAP (Newton), Laplace around it, VI",
        blobs,
        'blobs',
        logisticPanels,
        'entropy',
      ),
      logisticMutualInformation: await maps(
        '1.2–1.3 — Logistic regression: epistemic uncertainty',
        "mutual information between the prediction and the weights: Laplace at the course's MAP, Laplace at the converged MAP, VI",
        blobs,
        'blobs',
        [
          [lg, 'Laplace'],
          [lg, CONVERGED_LAPLACE],
          [vi, 'VI'],
        ],
        'mutualInformation',
      ),
      moonsProbability: await maps(
        '2.1–2.2 — MLPs on two moons: mean p(y=1|x)',
        'noise 0.05; deterministic, VI (100 samples), MC dropout p = 0.2 (100 passes)',
        inputs.datasets.moons,
        'moons',
        mlpPanels,
        'p',
      ),
      moonsEntropy: await maps(
        '2.1–2.2 — MLPs on two moons: predictive entropy',
        'noise 0.05',
        inputs.datasets.moons,
        'moons',
        mlpPanels,
        'entropy',
      ),
      moonsMutualInformation: await maps(
        '2.1–2.2 — MLPs on two moons: epistemic uncertainty',
        'mutual information, noise 0.05 (0 for the deterministic net)',
        inputs.datasets.moons,
        'moons',
        mlpPanels.slice(1),
        'mutualInformation',
      ),
      noisyMoonsEntropy: await maps(
        '2.1–2.2 — MLPs on noisy moons: predictive entropy',
        'noise 0.3',
        inputs.datasets.noisyMoons,
        'noisyMoons',
        mlpPanels,
        'entropy',
      ),
      noisyMoonsMutualInformation: await maps(
        '2.1–2.2 — MLPs on noisy moons: epistemic uncertainty',
        'mutual information, noise 0.3 (0 for the deterministic net)',
        inputs.datasets.noisyMoons,
        'noisyMoons',
        mlpPanels.slice(1),
        'mutualInformation',
      ),
    };
  },
});
