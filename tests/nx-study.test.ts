import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allStudies } from '../packages/pipeline/src/studies.js';
import { copyWorkspace, taskHashes } from './support/workspace-copy.js';

// Nx for real on week 3's study with the smoke config, in a private copy of the workspace: a
// study of seed [0] alone (the week's own run), then seed 1 added to the config. Only seed 1's stages and the study's
// aggregate and report may run; every other task keeps its hash (each seed and the study are Nx
// projects of their own, since Nx hashes a project's whole configuration into its tasks). Then: editing @rdl/eval changes
// no training stage's key for any seed.
const WEEK = 'week3';
const STUDY = `${WEEK}-study`;
const study = allStudies.find((s) => s.name === STUDY)!;
/** Files the tests edit (other branches move them: adjust here). */
const PATHS = {
  config: `configs/${WEEK}.json`,
  /** The study's arithmetic: only the aggregate runs it. */
  summarize: 'packages/eval/src/study/summarize-seeds.ts',
  /** A metric the `failure` stage runs for every seed. */
  failureMetrics: 'packages/eval/src/metrics/failure-metrics.ts',
};
/** Stages that train a model: no edit of evaluation code may change their keys. */
const TRAINING = ['train-lenet', 'train-confidnet'];
/** A profile smaller than smoke, written into the copy only: the test is about what runs, not about the numbers. */
const TINY = {
  extends: './week3.smoke.json',
  description: 'tests/nx-study.test.ts: smoke with fewer images',
  stages: {
    mnist: { validation: 200, subset: { train: 700, test: 200 } },
    'ood-data': { testCount: 200, tuneCount: 100 },
    'odin-grid': { tuneInCount: 100 },
  },
};
const env = { RDL_CONFIG: 'study-test' };

let root = '';

function nx(args: string[]): { status: number; output: string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true', ...env };
  for (const name of ['RDL_SET', 'RDL_BACKEND', 'RDL_THREADS']) delete childEnv[name];
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args, '--output-style=static'], {
    cwd: root,
    encoding: 'utf8',
    env: childEnv,
    timeout: 1_500_000,
  });
  return { status: result.status ?? 1, output: `${result.stdout}\n${result.stderr}` };
}

/**
 * Targets Nx ran (not served from its cache), from its own output: `> nx run <project>:<target>`
 * without a cache note. Target names are unique across the generated projects (pipeline,
 * week3-seed-<n>, week3-study), so the target alone names the task.
 */
function ranTasks(output: string): string[] {
  const ran = new Set<string>();
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  for (const match of plain.matchAll(/^> nx run [^:\s]+:(\S+)(.*)$/gm)) if (!/\[.*\]/.test(match[2]!)) ran.add(match[1]!);
  return [...ran].sort();
}

function runStudy(): { status: number; output: string; ran: string[] } {
  const result = nx(['run', `pipeline:${STUDY}`, '--parallel=2']);
  return { ...result, ran: ranTasks(result.output) };
}

function setSeeds(seeds: number[]): void {
  const file = join(root, PATHS.config);
  const config = JSON.parse(readFileSync(file, 'utf8')) as { study: { seeds: number[] } };
  config.study.seeds = seeds;
  writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
}

function genNx(): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=rdl-source', 'packages/pipeline/src/nx/write-project.ts'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });
  expect(result.status, result.stderr).toBe(0);
}

/** Nx's hashes of every stage task `pipeline:week3-study` involves (not the no-op targets), as `nx run` would compute them now. */
const hashes = (): Record<string, string> =>
  Object.fromEntries(Object.entries(taskHashes(root, [STUDY], env)).filter(([t]) => t !== STUDY && t !== WEEK));

const seedTasks = (seed: number): string[] =>
  study.seedStages.map((s) => (seed === 0 ? `${WEEK}-${s.name}` : `${WEEK}-seed-${seed}-${s.name}`));
const studyTasks = study.stages.map((s) => `${STUDY}-${s.name}`);

let cold: ReturnType<typeof runStudy>;
let before: Record<string, string> = {};

beforeAll(() => {
  root = copyWorkspace();
  writeFileSync(join(root, 'configs', `${WEEK}.study-test.json`), JSON.stringify(TINY, null, 2) + '\n');
  setSeeds([0]);
  genNx();
  cold = runStudy();
  before = hashes();
}, 1_600_000);
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe(`${STUDY} under Nx (smoke config)`, () => {
  test('the cold study of seed [0] runs the week’s own stages (seed 0), then aggregate and report', () => {
    expect(cold.status, cold.output).toBe(0);
    expect(cold.ran).toEqual(expect.arrayContaining([...seedTasks(0), ...studyTasks, `${WEEK}-report`]));
    expect(cold.ran.some((t) => t.includes('-seed-'))).toBe(false);
    const summary = JSON.parse(readFileSync(join(root, 'artifacts', STUDY, 'aggregate', 'outputs', 'summary.json'), 'utf8')) as {
      seeds: number[];
      differences: { a: { method: string; metric: string }; n: number }[];
    };
    expect(summary.seeds).toEqual([0]);
    expect(summary.differences.find((d) => d.a.method === 'ConfidNet' && d.a.metric === 'AUPR-Error')?.n).toBe(1);
    const md = readFileSync(join(root, 'artifacts', STUDY, 'report', 'outputs', 'summary.md'), 'utf8');
    expect(md).toContain('## Study — Multi-seed study');
    // The week's own figures, linked from the study's folder, exist.
    for (const link of md.matchAll(/\]\((\.\.\/\.\.\/\.\.\/[^)]+\.png)\)/g)) {
      expect(existsSync(join(root, 'artifacts', STUDY, 'report', 'outputs', link[1]!)), link[1]).toBe(true);
    }
    expect(readdirSync(join(root, 'artifacts', STUDY)).sort()).toEqual(['aggregate', 'report']);
  });

  test('a seed added to the config but not to the targets: the aggregate fails, saying to run gen:nx', () => {
    setSeeds([0, 1]);
    const stale = runStudy();
    expect(stale.status).not.toBe(0);
    expect(stale.output).toContain(`study.seeds is [0, 1] but the Nx targets of ${STUDY} were generated for [0]: run \`npm run gen:nx\``);
  }, 600_000);

  test('adding seed 1 (config + gen:nx) runs only seed 1’s stages, the aggregate and the report; every other task keeps its hash', () => {
    setSeeds([0, 1]);
    genNx();
    const after = hashes();
    const added = runStudy();
    expect(added.status, added.output).toBe(0);
    expect(added.ran).toEqual([...seedTasks(1), ...studyTasks].sort());
    const kept = Object.keys(before).filter((t) => !studyTasks.includes(t));
    expect(kept.length).toBeGreaterThanOrEqual(study.seedStages.length);
    expect(kept.filter((t) => after[t] !== before[t])).toEqual([]);
    for (const t of studyTasks) expect(after[t], t).not.toBe(before[t]);
    const summary = JSON.parse(readFileSync(join(root, 'artifacts', STUDY, 'aggregate', 'outputs', 'summary.json'), 'utf8')) as {
      seeds: number[];
    };
    expect(summary.seeds).toEqual([0, 1]);
  }, 1_600_000);

  test('editing @rdl/eval changes no training stage’s key for any seed; the stages that run the edited code do change', () => {
    const base = hashes();
    const training = Object.keys(base).filter((t) => TRAINING.some((s) => t.endsWith(`-${s}`)));
    expect(training).toHaveLength(TRAINING.length * 2);

    appendFileSync(join(root, PATHS.summarize), '\n// touched by tests/nx-study.test.ts\n');
    const summarize = hashes();
    expect(Object.keys(base).filter((t) => summarize[t] !== base[t])).toEqual([`${STUDY}-aggregate`]);

    appendFileSync(join(root, PATHS.failureMetrics), '\n// touched by tests/nx-study.test.ts\n');
    const metrics = hashes();
    const changed = Object.keys(base).filter((t) => metrics[t] !== summarize[t]);
    // Positive control: every seed's failure stage runs this file.
    expect(changed).toEqual(expect.arrayContaining([0, 1].map((seed) => seedTasks(seed).find((t) => t.endsWith('-failure'))!)));
    expect(training.filter((t) => metrics[t] !== base[t])).toEqual([]);
  }, 600_000);
});
