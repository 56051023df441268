import { checkClasses } from './inputs.js';

/** Fraction of predicted class indices equal to the true ones, in [0, 1]. */
export function accuracy(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  checkClasses('accuracy', predicted, truth);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) correct++;
  return correct / predicted.length;
}
