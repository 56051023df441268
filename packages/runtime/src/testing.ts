// Test hooks: `@rdl/runtime/testing` resolves only inside the monorepo (the rdl-source export
// condition) and is not part of the published API.
export { setIm2colMaxChannels } from './kernels/conv2d-backprop-filter.js';
