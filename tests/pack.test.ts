import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { repoRoot } from './support/workspace-copy.js';

// A user outside this repository installs the packed tarballs and imports them, types included.
const consumer = mkdtempSync(join(tmpdir(), 'rdl-consumer-'));
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NX_DAEMON: 'false' } });

test('npm pack of @rdl/core, @rdl/data and @rdl/eval installs into an empty project and imports with types', () => {
  run(
    process.execPath,
    [join(repoRoot, 'node_modules/nx/dist/bin/nx.js'), 'run-many', '-t', 'build', '-p', 'core', 'data', 'eval', '--output-style=static'],
    repoRoot,
  );
  // @rdl/eval depends on @rdl/core, which is packed beside it (it is not on a registry).
  const tarballs = ['core', 'data', 'eval'].map((name) => {
    const out = run('npm', ['pack', '--pack-destination', consumer, '--json'], join(repoRoot, 'packages', name));
    return join(consumer, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], consumer);
  expect(readdirSync(join(consumer, 'node_modules', '@rdl')).sort()).toEqual(['core', 'data', 'eval']);

  writeFileSync(
    join(consumer, 'main.ts'),
    [
      "import { lineDataset } from '@rdl/data';",
      "import { averagePrecision, rocAuc, type Score } from '@rdl/eval';",
      "import { argmaxRows, createRng, type Rng } from '@rdl/core';",
      'const rng: Rng = createRng(1);',
      "const score: Score = { name: 'mcp', values: [0.9], direction: 'higher-is-more-confident' };",
      'const predicted: Int32Array = argmaxRows([0.1, 0.9], 2);',
      'console.log(score.name, predicted[0]);',
      'const line = lineDataset({ n: 5, seed: 2 });',
      'const ap: number = averagePrecision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]);',
      'const auc: number = rocAuc([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]);',
      'console.log(JSON.stringify({ r: rng.next() < 1, n: line.x.length, ap, auc }));',
    ].join('\n'),
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
        lib: ['es2022', 'dom'],
      },
      files: ['main.ts'],
    }),
  );
  // Type errors make tsc exit non-zero, which throws here with its output.
  run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);

  writeFileSync(
    join(consumer, 'main.mjs'),
    [
      "import { createRng } from '@rdl/core';",
      "import { lineDataset } from '@rdl/data';",
      "import { averagePrecision, rocAuc } from '@rdl/eval';",
      'console.log(JSON.stringify({ n: lineDataset({ n: 5, seed: 2 }).x.length, ap: averagePrecision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]), auc: rocAuc([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]), r: createRng(1).next() < 1 }));',
    ].join('\n'),
  );
  const result = JSON.parse(run(process.execPath, ['main.mjs'], consumer)) as { n: number; ap: number; auc: number; r: boolean };
  expect(result).toEqual({ n: 5, ap: (1 + 2 / 3) / 2, auc: 0.75, r: true });
}, 300_000);

test('npm pack of @rdl/runtime and @rdl/models installs, and runs MC dropout and a training step on a pool worker thread', () => {
  run(
    process.execPath,
    [
      join(repoRoot, 'node_modules/nx/dist/bin/nx.js'),
      'run-many',
      '-t',
      'build',
      '-p',
      'core',
      'data',
      'runtime',
      'models',
      '--output-style=static',
    ],
    repoRoot,
  );
  const project = mkdtempSync(join(tmpdir(), 'rdl-models-consumer-'));
  try {
    // @rdl/core is packed beside them: it is on no registry.
    const tarballs = ['core', 'data', 'runtime', 'models'].map((name) => {
      const out = run('npm', ['pack', '--pack-destination', project, '--json'], join(repoRoot, 'packages', name));
      return join(project, (JSON.parse(out) as { filename: string }[])[0]!.filename);
    });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // tfjs-node (optional) needs the internet to install; the wasm backend is what runs here.
    run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=optional', '--prefer-offline', ...tarballs], project);
    expect(readdirSync(join(project, 'node_modules', '@rdl')).sort()).toEqual(['core', 'data', 'models', 'runtime']);

    writeFileSync(
      join(project, 'main.ts'),
      [
        "import { initBackend, shutdownWorkers, type BackendInfo } from '@rdl/runtime';",
        "import { LeNet, mcDropoutProbs, tfjsBlocks, type LeNetBlocks } from '@rdl/models';",
        "const info: BackendInfo = await initBackend({ backend: 'wasm' });",
        'const blocks: LeNetBlocks = tfjsBlocks;',
        'const net: LeNet = LeNet.create({ dropout: 0.5, seed: 1 });',
        'const probs: Float32Array = await mcDropoutProbs(net, new Uint8Array(784), 1, { passes: 2, batchSize: 1, seed: 1 });',
        'await shutdownWorkers();',
        'console.log(info.name, blocks.name, probs.length);',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
          lib: ['es2022', 'dom'],
        },
        files: ['main.ts'],
      }),
    );
    run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);

    const script = [
      "import { initBackend } from '@rdl/runtime';",
      "import * as m from '@rdl/models';",
      "await initBackend({ backend: 'wasm' });",
      'const pixels = new Uint8Array(8 * 784).map((_, i) => (i * 37) % 256);',
      'const labels = Uint8Array.from({ length: 8 }, (_, i) => i % 10);',
      'const net = m.LeNet.create({ dropout: 0.5, seed: 1 });',
      'const t = await m.trainClassifier(net, { pixels, labels, count: 8 }, { epochs: 1, batchSize: 8, learningRate: 1e-3, seed: 1, threads: 2 });',
      'const one = await m.mcDropoutProbs(net, pixels, 8, { passes: 3, batchSize: 4, seed: 2, threads: 1 });',
      'const two = await m.mcDropoutProbs(net, pixels, 8, { passes: 3, batchSize: 4, seed: 2, threads: 2 });',
      'console.log(JSON.stringify({ loss: Number.isFinite(t.losses[0]), same: one.every((v, i) => v === two[i]) }));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    expect(child.stderr).not.toMatch(/worker threads unavailable|Error/);
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({ loss: true, same: true });
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}, 300_000);
