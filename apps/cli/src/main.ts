import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command, CommanderError } from 'commander';
import { parseOptions } from '@rdl/core';
import { z } from 'zod';
import {
  allPipelines,
  CONFIG_ENV,
  findPipeline,
  loadPipelineConfig,
  outputsDir,
  parseOverrides,
  SET_ENV,
  stageTarget,
} from '@rdl/pipeline';
import { cacheCommand } from './cache.js';
import { pipelineStatus, readManifest } from './stage-state.js';
import { findWorkspaceRoot } from './workspace.js';

class UsageError extends Error {}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `week1`, `week1-datasets`, `week1:datasets` or a stage name that only one pipeline has. */
function resolveTarget(name: string): { pipeline: string; target: string } {
  if (allPipelines.some((p) => p.name === name)) return { pipeline: name, target: name };
  const [p, s] = name.includes(':') ? name.split(':') : [undefined, undefined];
  for (const pipeline of allPipelines) {
    for (const stage of pipeline.stages) {
      const target = stageTarget(pipeline.name, stage.name);
      if (target === name || (p === pipeline.name && s === stage.name)) return { pipeline: pipeline.name, target };
    }
  }
  const owners = allPipelines.filter((pl) => pl.stages.some((st) => st.name === name));
  if (owners.length === 1) return { pipeline: owners[0]!.name, target: stageTarget(owners[0]!.name, name) };
  if (owners.length > 1)
    throw new UsageError(
      `stage '${name}' exists in ${owners.map((o) => o.name).join(' and ')}: say which, e.g. ${owners[0]!.name}:${name}`,
    );
  throw new UsageError(`no pipeline or stage named '${name}' (try: rdl list)`);
}

function runNx(root: string, target: string, env: NodeJS.ProcessEnv, extra: string[]): Promise<number> {
  const nx = join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
  return new Promise((resolveExit) => {
    const child = spawn(process.execPath, [nx, 'run', `pipeline:${target}`, '--output-style=stream', ...extra], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? '' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function buildProgram(): Command {
  const program = new Command('rdl')
    .description('Robust deep learning for TypeScript: run, list and inspect the course pipelines.')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('list')
    .description('pipelines and their stages, with the state of their artifacts')
    .option('--config <profile|path>', 'config profile (e.g. smoke) or file')
    .option('--json', 'machine-readable output')
    .action((opts: { config?: string; json?: boolean }) => {
      const root = findWorkspaceRoot();
      const status = allPipelines.map((p) => ({
        pipeline: p.name,
        description: p.description,
        stages: pipelineStatus(root, p, opts.config),
      }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(status) + '\n');
        return;
      }
      for (const p of status) {
        process.stdout.write(`${p.pipeline}  ${p.description}\n`);
        for (const s of p.stages) {
          const mark = s.state === 'fresh' ? '✓' : s.state === 'stale' ? '~' : '·';
          const needs = s.needs.length ? `  ← ${s.needs.join(', ')}` : '';
          process.stdout.write(`  ${mark} ${s.stage.padEnd(24)} ${s.state.padEnd(8)} ${formatMs(s.durationMs).padStart(8)}${needs}\n`);
        }
      }
      process.stdout.write('\n✓ fresh for this config   ~ made with another config   · not run\n');
    });

  program
    .command('run')
    .description('run a pipeline or one stage (with its upstream stages) through Nx, reusing cached results')
    .argument('<name>', 'pipeline (week1) or stage (week1-datasets, week1:datasets)')
    .option('--config <profile|path>', 'config profile (e.g. smoke) or file')
    .option('--set <key=value>', 'override one config field, e.g. --set fit.alpha=1 (repeatable)', collect, [])
    .option('--skip-cache', 'recompute even when Nx has the result cached')
    .action(async (name: string, opts: { config?: string; set: string[]; skipCache?: boolean }) => {
      const root = findWorkspaceRoot();
      const { pipeline, target } = resolveTarget(name);
      const overrides = parseOverrides(opts.set);
      // Validate before Nx starts, so a bad value is one clear line and nothing runs.
      loadPipelineConfig(findPipeline(pipeline), { root, configRef: opts.config, overrides });
      const env = { ...process.env, [CONFIG_ENV]: opts.config ?? '', [SET_ENV]: opts.set.length ? JSON.stringify(opts.set) : '' };
      const code = await runNx(root, target, env, opts.skipCache ? ['--skip-nx-cache'] : []);
      if (code !== 0) process.exitCode = 1;
    });

  program
    .command('show')
    .description("a stage's results, manifest and figures")
    .argument('<stage>', 'stage (week1-datasets, week1:datasets, or a unique stage name)')
    .option('--json', 'machine-readable output')
    .action((name: string, opts: { json?: boolean }) => {
      const root = findWorkspaceRoot();
      const { pipeline, target } = resolveTarget(name);
      const stage = findPipeline(pipeline).stages.find((s) => stageTarget(pipeline, s.name) === target);
      if (!stage) throw new UsageError(`'${name}' is a pipeline; show takes a stage (rdl list shows them)`);
      const manifest = readManifest(root, pipeline, stage.name);
      if (!manifest) throw new Error(`${pipeline}:${stage.name} has not run yet (rdl run ${target})`);
      const dir = outputsDir(root, pipeline, stage.name);
      const resultsFile = join(dir, 'results.json');
      const results: unknown = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
      const figures = readdirSync(dir)
        .filter((f) => /\.(png|svg|html)$/.test(f))
        .map((f) => relative(root, join(dir, f)));
      if (opts.json) {
        process.stdout.write(JSON.stringify({ manifest, results, figures }) + '\n');
        return;
      }
      process.stdout.write(`${pipeline}:${stage.name} — ${stage.description}\n`);
      process.stdout.write(`  ran ${manifest.startedAt} in ${formatMs(manifest.durationMs)}, seed ${manifest.seed}`);
      process.stdout.write(
        `${Object.entries(manifest.records)
          .map(([k, v]) => `, ${k} ${String(v)}`)
          .join('')}\n`,
      );
      process.stdout.write(`  config ${JSON.stringify(manifest.config)}\n`);
      process.stdout.write(`  outputs in ${relative(root, dir)}: ${manifest.outputs.map((o) => o.file).join(', ')}\n`);
      if (figures.length) process.stdout.write(`  figures:\n${figures.map((f) => `    ${f}`).join('\n')}\n`);
      if (results !== undefined) process.stdout.write(`  results:\n${JSON.stringify(results, null, 2).replace(/^/gm, '    ')}\n`);
    });

  program
    .command('report')
    .description("where a pipeline's report is (after rdl run <pipeline>)")
    .argument('<pipeline>', 'week1, week2 or week3')
    .option('--open', 'open the HTML report in the default browser')
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { open?: boolean; json?: boolean }) => {
      const root = findWorkspaceRoot();
      const pipeline = findPipeline(name);
      const dir = outputsDir(root, pipeline.name, 'report');
      const html = join(dir, 'index.html');
      if (!existsSync(html)) throw new Error(`no report for ${pipeline.name} yet: run \`rdl run ${pipeline.name}\` first`);
      const files = {
        html: relative(root, html),
        markdown: relative(root, join(dir, 'summary.md')),
        results: relative(root, join(dir, 'results.json')),
      };
      if (opts.json) process.stdout.write(JSON.stringify(files) + '\n');
      else process.stdout.write(`${files.html}\n${files.markdown}\n${files.results}\n`);
      if (opts.open) {
        const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
        spawn(opener, [html], { stdio: 'ignore', detached: true })
          .on('error', () => {
            process.stderr.write(`rdl: could not start ${opener}; open ${files.html} yourself\n`);
          })
          .unref();
      }
    });
  program
    .command('web')
    .description('the browser uncertainty lab (apps/web)')
    .command('export')
    .description("write what the digit lab loads (weights, ODIN's T and ε, validation-chosen flag thresholds) from week3's artifacts")
    .option('--out <dir>', 'folder for model.js (the site build copies it from here)', 'artifacts/web/model')
    .option('--config <profile>', 'config profile the week3 artifacts were made with (stated on the page)')
    .option('--samples <n>', 'seeded MNIST test and Fashion-MNIST images to include', '300')
    .option('--failures <n>', 'misclassified MNIST test images to include', '60')
    .option('--seed <n>', 'seed of the image samples', '0')
    .action(async (opts: { out: string; config?: string; samples: string; failures: string; seed: string }) => {
      const count = z.coerce.number().int().min(1);
      const { webExport } = await import('./web-export.js');
      await webExport({
        root: findWorkspaceRoot(),
        out: opts.out,
        config: opts.config ?? (process.env[CONFIG_ENV] || 'default'),
        samples: parseOptions(count, opts.samples, '--samples'),
        failures: parseOptions(count, opts.failures, '--failures'),
        seed: parseOptions(z.coerce.number().int(), opts.seed, '--seed'),
        log: (line) => process.stderr.write(`[web export] ${line}\n`),
      });
    });
  program.addCommand(cacheCommand());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; everything else commander raises is bad usage.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`rdl: ${(error as Error).message}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}
