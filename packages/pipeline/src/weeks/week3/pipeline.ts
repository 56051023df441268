import { definePipeline } from '../../core/stage.js';
import { report } from './report.js';

export const week3 = definePipeline({
  name: 'week3',
  description:
    'Week 3 — uncertainty applications on MNIST: MC dropout LeNet (I), failure prediction with ConfidNet (II), OOD detection with ODIN (III).',
  stages: [report],
});
