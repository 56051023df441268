/**
 * tfjs-core's Node bundle registers kernels' forward functions but not their gradients; the
 * tfjs-layers bundle registers all of them on import (the registry is global, so one import is
 * enough for every tf.grad / optimizer in the process).
 */
import '@tensorflow/tfjs-layers';
