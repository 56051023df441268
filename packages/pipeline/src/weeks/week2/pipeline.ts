import { definePipeline } from '../../core/stage.js';
import { report } from './report.js';

export const week2 = definePipeline({
  name: 'week2',
  description: 'Week 2 — Laplace, variational inference and MC dropout for classification (SPEC rows 1.1–1.3, 2.1, 2.2).',
  stages: [report],
});
