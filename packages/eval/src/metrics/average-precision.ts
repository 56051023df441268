// The one average-precision implementation lives in @rdl/core, so that training stages can select
// epochs by AUPR-Error without importing evaluation code; eval's public API is unchanged.
export { averagePrecision, averagePrecisionFromCounts } from '@rdl/core';
