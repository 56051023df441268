/**
 * The command behind every stage's Nx target: `run-stage.ts <pipeline> <stage>`.
 * Errors are one line on stderr and exit code 1; nothing half-written is left behind.
 */
import { runStage } from '../core/runner.js';
import { workspaceRootFromHere } from '../nx/targets.js';
import { findPipeline } from '../pipelines.js';

const [pipelineName, stageName] = process.argv.slice(2);
if (!pipelineName || !stageName) {
  process.stderr.write('usage: run-stage <pipeline> <stage>\n');
  process.exit(2);
}
try {
  const manifest = await runStage(findPipeline(pipelineName), stageName, {
    root: workspaceRootFromHere(),
    configRef: process.env.RDL_CONFIG || undefined,
  });
  process.stderr.write(`[${stageName}] wrote ${manifest.outputs.length} files in ${(manifest.durationMs / 1000).toFixed(1)} s\n`);
} catch (error) {
  process.stderr.write(`rdl: ${(error as Error).message}\n`);
  if (process.env.RDL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
}
