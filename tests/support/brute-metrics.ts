/**
 * Ranking metrics written again from their definitions, O(n²), sharing no code with @rdl/eval, so
 * a test can recompute a stage's numbers from its inputs. Labels: 1 = positive; scores: higher =
 * more positive. Items with equal scores are accepted together at any threshold.
 */

/** Average precision: mean over positives of the precision among all items scoring ≥ that positive. */
export function bruteAp(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  let sum = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    positives++;
    let above = 0;
    let positivesAbove = 0;
    for (let j = 0; j < labels.length; j++) {
      if (scores[j]! >= scores[i]!) {
        above++;
        positivesAbove += labels[j]!;
      }
    }
    sum += positivesAbove / above;
  }
  return sum / positives;
}

/** AUROC as the share of (positive, negative) pairs ranked right, ties counting ½. */
export function bruteAuroc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

/** FPR at the highest threshold (over the distinct scores) whose TPR reaches `tpr`. */
export function bruteFprAtTpr(labels: ArrayLike<number>, scores: ArrayLike<number>, tpr = 0.95): number {
  const thresholds = [...new Set(Array.from(scores))].sort((a, b) => b - a);
  const positives = Array.from(labels).filter((y) => y === 1).length;
  const negatives = labels.length - positives;
  for (const t of thresholds) {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < labels.length; i++) {
      if (scores[i]! < t) continue;
      if (labels[i] === 1) tp++;
      else fp++;
    }
    if (tp / positives >= tpr) return fp / negatives;
  }
  return 1;
}

/** AURC: mean over items of the error rate among all items at least as confident. */
export function bruteAurc(isError: ArrayLike<number>, confidence: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < isError.length; i++) {
    let accepted = 0;
    let errors = 0;
    for (let j = 0; j < isError.length; j++) {
      if (confidence[j]! >= confidence[i]!) {
        accepted++;
        errors += isError[j]!;
      }
    }
    sum += errors / accepted;
  }
  return sum / isError.length;
}

export const negate = (values: ArrayLike<number>): number[] => Array.from(values, (v) => -v);
