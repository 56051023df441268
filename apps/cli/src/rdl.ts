#!/usr/bin/env node
// `rdl cache …` does not load the pipelines (and TensorFlow.js): a cache server stays small.
export {};

const argv = process.argv.slice(2);
process.exitCode = argv[0] === 'cache' ? await (await import('./cache.js')).cacheMain(argv) : await (await import('./main.js')).main(argv);
