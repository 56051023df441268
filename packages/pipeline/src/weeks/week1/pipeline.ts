import { definePipeline } from '../../core/stage.js';
import { report } from './report.js';

export const week1 = definePipeline({
  name: 'week1',
  description: 'Week 1 — Bayesian linear regression in closed form (SPEC rows 1.1, 1.4, 1.5, bonus, 2.4, 2.5).',
  stages: [report],
});
