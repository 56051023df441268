/**
 * The command behind every stage's Nx target: `run-stage.ts <pipeline> <stage> [--tfjs] [--seed N]`,
 * where --tfjs says the stage's cache key holds the resolved tfjs runtime (the runner checks the
 * run used it) and --seed runs the stage as that seed's clone for a study; or
 * `run-stage.ts <week>-study <stage> --seeds a,b,… --week-seed N` for a study stage (the seeds the
 * targets were generated for). Errors are one line on stderr and exit code 1; nothing
 * half-written is left behind.
 */
import { runStage, runStudyStage } from '../core/runner.js';
import { workspaceRootFromHere } from '../core/root.js';
import { findPipeline } from '../pipelines.js';
import { findStudy } from '../studies.js';

const args = process.argv.slice(2);
const flags = new Map<string, string>();
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--seed' || arg === '--seeds' || arg === '--week-seed') flags.set(arg, args[++i] ?? '');
  else if (!arg.startsWith('--')) positional.push(arg);
}
const [pipelineName, stageName] = positional;
if (!pipelineName || !stageName) {
  process.stderr.write(
    'usage: run-stage <pipeline> <stage> [--tfjs] [--seed N] | run-stage <week>-study <stage> --seeds a,b --week-seed N\n',
  );
  process.exit(2);
}
/** A seed given on the command line: a non-negative integer, else exit 2 naming the flag. */
function seedArg(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) {
    process.stderr.write(`rdl: ${flag}: expected a non-negative integer, got '${text}'\n`);
    process.exit(2);
  }
  return Number(text);
}
try {
  const root = workspaceRootFromHere();
  const configRef = process.env.RDL_CONFIG || undefined;
  const tfjs = args.includes('--tfjs');
  const study = findStudy(pipelineName);
  const manifest = study
    ? await runStudyStage(study, stageName, {
        root,
        configRef,
        tfjs,
        seeds: (flags.get('--seeds') ?? '').split(',').map((s) => seedArg('--seeds', s)),
        weekSeed: seedArg('--week-seed', flags.get('--week-seed') ?? ''),
      })
    : await runStage(findPipeline(pipelineName), stageName, {
        root,
        configRef,
        tfjs,
        ...(flags.has('--seed') && { seed: seedArg('--seed', flags.get('--seed')!) }),
      });
  process.stderr.write(`[${stageName}] wrote ${manifest.outputs.length} files in ${(manifest.durationMs / 1000).toFixed(1)} s\n`);
} catch (error) {
  process.stderr.write(`rdl: ${(error as Error).message}\n`);
  if (process.env.RDL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
}
