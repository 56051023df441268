/**
 * The command behind every stage's Nx target: `run-stage.ts <pipeline> <stage> [--tfjs]`, where
 * --tfjs says the stage's cache key holds the resolved tfjs runtime (the runner checks the run
 * used it). Errors are one line on stderr and exit code 1; nothing half-written is left behind.
 */
import { runStage } from '../core/runner.js';
import { workspaceRootFromHere } from '../core/root.js';
import { findPipeline } from '../pipelines.js';

const args = process.argv.slice(2);
const [pipelineName, stageName] = args.filter((a) => !a.startsWith('--'));
if (!pipelineName || !stageName) {
  process.stderr.write('usage: run-stage <pipeline> <stage> [--tfjs]\n');
  process.exit(2);
}
try {
  const manifest = await runStage(findPipeline(pipelineName), stageName, {
    root: workspaceRootFromHere(),
    configRef: process.env.RDL_CONFIG || undefined,
    tfjs: args.includes('--tfjs'),
  });
  process.stderr.write(`[${stageName}] wrote ${manifest.outputs.length} files in ${(manifest.durationMs / 1000).toFixed(1)} s\n`);
} catch (error) {
  process.stderr.write(`rdl: ${(error as Error).message}\n`);
  if (process.env.RDL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
}
