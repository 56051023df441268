// The one threshold scan lives in @rdl/core (average precision needs it there, below training code).
export { swapClasses, thresholdCounts, type CumulativeCounts, type ThresholdCounts } from '@rdl/core';
