#!/usr/bin/env node
// Nx runtime input of each stage target (`stage-key.mjs <pipeline> <stage> [--tfjs]`): prints what
// a stage's result depends on beyond its files, npm packages and upstream outputs —
//   seed, config: its slice of the config (the seed and its own section), so editing one stage's
//            section reruns that stage (and, through its outputs, its descendants) only;
//            `--seed N` (a study seed's clone of the stage): N replaces the config's seed;
//            `--study` (a stage of `<pipeline>-study`): the seed and the config's `study` section;
//   node:    the Node.js version;
//   runtime: for stages that run TensorFlow.js, the backend and thread count the run will use,
//            resolved (RDL_BACKEND / RDL_THREADS when set, else what the machine gives), so an
//            unset variable on a 1-core, a 2-core or a tfjs-node machine gives three keys.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { CONFIG_ENV, overridesFromEnv, resolveRawConfig, stageSlice, studySlice } from '../src/config/raw-config.mjs';
import { resolveRuntime } from '@rdl/runtime/resolve-runtime';

const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : undefined;
const [pipeline, stage] = args.filter((a, i) => !a.startsWith('--') && (seedAt < 0 || i !== seedAt + 1));
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
try {
  const { raw } = resolveRawConfig({ root, pipeline, configRef: process.env[CONFIG_ENV], overrides: overridesFromEnv() });
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${args[seedAt + 1]}'`);
  const slice = args.includes('--study') ? studySlice(raw) : stageSlice(raw, stage);
  const key = { ...slice, ...(seed !== undefined && { seed }), node: process.version };
  if (args.includes('--tfjs')) key.runtime = resolveRuntime(process.env);
  process.stdout.write(JSON.stringify(key) + '\n');
} catch (error) {
  process.stderr.write(`rdl: ${error.message}\n`);
  process.exit(1);
}
