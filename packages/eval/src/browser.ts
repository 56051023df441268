// @rdl/eval for browsers (the `browser` export condition): metrics, curves and the vega-lite chart
// specs, without the headless renderer (resvg is a native addon) and the report writers; a page
// renders the specs with vega itself.
export * from './conventions.js';
export * from './metrics/threshold-counts.js';
export * from './metrics/average-precision.js';
export * from './metrics/roc-auc.js';
export * from './metrics/fpr-at-tpr.js';
export * from './metrics/accuracy.js';
export * from './metrics/expected-calibration-error.js';
export * from './metrics/negative-log-likelihood.js';
export * from './metrics/brier-score.js';
export * from './metrics/near-far-ratio.js';
export * from './metrics/failure-metrics.js';
export * from './metrics/ood-metrics.js';
export * from './metrics/keep-threshold.js';
export * from './curves/precision-recall.js';
export * from './curves/roc.js';
export * from './curves/reliability.js';
export * from './curves/downsample.js';
export * from './charts/theme.js';
export { estimateTextWidth } from './charts/text-width.js';
export * from './charts/raster.js';
export * from './charts/contour.js';
export type { NumArray, LegendShape } from './charts/common.js';
export * from './charts/decision-map.js';
export * from './charts/votes.js';
