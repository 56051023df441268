import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyWorkspace, repoRoot } from './support/workspace-copy.js';

// The team cache for real: `rdl cache serve` on 127.0.0.1, two private copies of the workspace,
// each with its own Nx cache folder. Clone A (the instructor, a read-write token in scope main)
// runs week 3 on the smoke config once, cold, and uploads; clone B (a student, a read-only token
// trusting main) starts cold and must restore it all. That one cold run serves every check.

const TOKENS = { instructor: 'instructor-rw-4c1d9e0f7a', student: 'student-ro-b83e2a61d5' };
const PIPELINE = 'week3';

interface NxRun {
  status: number;
  output: string;
  seconds: number;
  /** Each task's line: computed, or restored from which cache. */
  tasks: Record<string, 'run' | 'remote cache' | 'local cache'>;
}

let serverDir = '';
let server: ChildProcess | undefined;
let url = '';
let a = '';
let b = '';
let cold: NxRun;
let cacheable: string[] = [];
/** Each clone's own Nx cache folder, outside the clone. */
const cacheDirs = new Map<string, string>();

function nx(root: string, token: string, args: string[], env: Record<string, string> = {}, prefix: string[] = []): NxRun {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(base)) if (/^(RDL_|NX_)/.test(key)) delete base[key];
  const nxBin = join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
  const command = prefix.length ? prefix[0]! : process.execPath;
  const argv = [...prefix.slice(1), ...(prefix.length ? [process.execPath] : []), nxBin, ...args, '--output-style=static'];
  const started = process.hrtime.bigint();
  const result = spawnSync(command, argv, {
    cwd: root,
    encoding: 'utf8',
    timeout: 900_000,
    env: {
      ...base,
      CI: 'true',
      NO_COLOR: '1',
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
      NX_CACHE_DIRECTORY: cacheDirs.get(root)!,
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url,
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token,
      RDL_CONFIG: 'smoke',
      ...env,
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // eslint-disable-next-line no-control-regex
  const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  const tasks: NxRun['tasks'] = {};
  for (const match of output.matchAll(/^> nx run pipeline:(\S+)(?:\s+\[(remote cache|local cache)\])?/gm))
    tasks[match[1]!] = (match[2] as NxRun['tasks'][string]) ?? 'run';
  return { status: result.status ?? 1, output, seconds, tasks };
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else out.push(relative(dir, join(d, entry.name)));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** The files of a stage's outputs/ that differ between two clones (by name or by a single byte). */
function outputDifferences(stage: string): string[] {
  const left = join(a, 'artifacts', PIPELINE, stage, 'outputs');
  const right = join(b, 'artifacts', PIPELINE, stage, 'outputs');
  const names = [...new Set([...files(left), ...files(right)])];
  return names.filter(
    (f) => !existsSync(join(left, f)) || !existsSync(join(right, f)) || !readFileSync(join(left, f)).equals(readFileSync(join(right, f))),
  );
}

const manifest = (root: string, stage: string) =>
  JSON.parse(readFileSync(join(root, 'artifacts', PIPELINE, stage, 'manifest.json'), 'utf8')) as {
    startedAt: string;
    records: { threads?: number };
  };

const entriesInMain = () =>
  existsSync(join(serverDir, 'data', 'scopes', 'main')) ? readdirSync(join(serverDir, 'data', 'scopes', 'main')).length : 0;
const serverLogFile = () => join(serverDir, 'access.log');
const serverLog = () => (existsSync(serverLogFile()) ? readFileSync(serverLogFile(), 'utf8') : '');
const logLines = (pattern: RegExp) =>
  serverLog()
    .split('\n')
    .filter((l) => pattern.test(l));

async function startServer(): Promise<void> {
  serverDir = mkdtempSync(join(tmpdir(), 'rdl-cache-remote-'));
  const tokens = join(serverDir, 'tokens.json');
  writeFileSync(
    tokens,
    JSON.stringify({
      tokens: [
        { token: TOKENS.instructor, access: 'read-write', scope: 'main' },
        { token: TOKENS.student, access: 'read', reads: ['main'] },
      ],
    }),
  );
  const cli = join(repoRoot, 'apps', 'cli', 'src', 'rdl.ts');
  // The access log goes to a file, not a pipe: while Nx runs (spawnSync) this process reads no
  // pipe, and a full one would stall the server.
  const log = openSync(serverLogFile(), 'a');
  server = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=rdl-source',
      cli,
      'cache',
      'serve',
      '--dir',
      join(serverDir, 'data'),
      '--port',
      '0',
      '--tokens',
      tokens,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const deadline = Date.now() + 60_000;
  while (!/ at (http:\/\/\S+) /.test(serverLog())) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`rdl cache serve did not start:\n${serverLog()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  url = / at (http:\/\/\S+) /.exec(serverLog())![1]!;
}

beforeAll(async () => {
  await startServer();
  a = copyWorkspace();
  b = copyWorkspace();
  for (const root of [a, b]) cacheDirs.set(root, mkdtempSync(join(tmpdir(), 'rdl-nx-cache-')));
  const project = JSON.parse(readFileSync(join(a, 'packages', 'pipeline', 'project.json'), 'utf8')) as {
    targets: Record<string, { cache?: boolean }>;
  };
  cacheable = Object.entries(project.targets)
    .filter(([name, target]) => name.startsWith(`${PIPELINE}-`) && target.cache === true)
    .map(([name]) => name)
    .sort();
  cold = nx(a, TOKENS.instructor, ['run', `pipeline:${PIPELINE}`]);
  expect(cold.status, cold.output).toBe(0);
}, 1_200_000);

afterAll(() => {
  server?.kill('SIGTERM');
  for (const dir of [a, b, serverDir, ...cacheDirs.values()]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`a team cache for ${PIPELINE} (smoke config) through Nx's self-hosted remote cache`, () => {
  test('clone A computes every cacheable stage and uploads each one into scope main', () => {
    expect(cacheable.length).toBeGreaterThanOrEqual(12);
    for (const target of cacheable) expect(cold.tasks[target], target).toBe('run');
    expect(entriesInMain()).toBe(cacheable.length);
    expect(logLines(/ PUT "\/v1\/cache\/\d+" 200 .*"stored in main"/)).toHaveLength(cacheable.length);
  });

  test('clone B, cold, restores every cacheable stage as [remote cache], byte-identical to A', () => {
    const restore = nx(b, TOKENS.student, ['run', `pipeline:${PIPELINE}`]);
    expect(restore.status, restore.output).toBe(0);
    for (const target of cacheable) expect(restore.tasks[target], `${target}\n${restore.output}`).toBe('remote cache');
    for (const target of cacheable) expect(outputDifferences(target.slice(PIPELINE.length + 1)), target).toEqual([]);
    console.log(
      `[cache-remote] ${PIPELINE} smoke: cold run in clone A ${cold.seconds.toFixed(1)} s; restore from the remote cache in clone B ${restore.seconds.toFixed(1)} s (wall, Nx start-up included)`,
    );
  });

  test('clone B recomputes predict with --skip-nx-cache and gets byte-identical outputs/', () => {
    const before = manifest(b, 'predict').startedAt;
    const rerun = nx(b, TOKENS.student, ['run', `pipeline:${PIPELINE}-predict`, '--skip-nx-cache', '--exclude-task-dependencies']);
    expect(rerun.status, rerun.output).toBe(0);
    expect(rerun.tasks[`${PIPELINE}-predict`]).toBe('run');
    expect(manifest(b, 'predict').startedAt).not.toBe(before);
    expect(outputDifferences('predict')).toEqual([]);
  });

  test('a clone forced to one thread (RDL_THREADS=1) does not restore the two-thread LeNet; its read-only token cannot upload', () => {
    expect(manifest(a, 'train-lenet').records.threads, 'clone A ran LeNet on two threads (a 2-core machine)').toBe(2);
    const entries = entriesInMain();
    const refusedBefore = logLines(/ PUT .* 403 /).length;
    const one = nx(b, TOKENS.student, ['run', `pipeline:${PIPELINE}-train-lenet`], { RDL_THREADS: '1' });
    expect(one.status, one.output).toBe(0);
    expect(one.tasks[`${PIPELINE}-train-lenet`], one.output).toBe('run');
    expect(manifest(b, 'train-lenet').records.threads).toBe(1);
    // Nx tried to share the one-thread result; the read-only token got 403, which Nx takes in its stride.
    expect(logLines(/ PUT .* 403 /).length).toBeGreaterThan(refusedBefore);
    expect(entriesInMain()).toBe(entries);
  });

  const taskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  test.skipIf(!taskset)(
    'a clone on one core (taskset, RDL_THREADS unset: one thread resolved) does not restore the two-thread LeNet',
    () => {
      const one = nx(b, TOKENS.student, ['run', `pipeline:${PIPELINE}-train-lenet`], {}, ['taskset', '-c', '0']);
      expect(one.status, one.output).toBe(0);
      expect(one.tasks[`${PIPELINE}-train-lenet`]).not.toBe('remote cache');
      const threads = manifest(b, 'train-lenet').records.threads;
      expect(
        threads,
        'the stage key must hold the resolved thread count, not the RDL_THREADS variable: this clone restored the two-thread result',
      ).toBe(1);
    },
  );
});
