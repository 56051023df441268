import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { removeTempDirs, tempDir, TOKENS, TOKENS_FILE } from './helpers.js';

afterAll(removeTempDirs);

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const rdl = ['--import', 'tsx', '--conditions=rdl-source', join(repoRoot, 'apps', 'cli', 'src', 'rdl.ts')];

function tempFile(name: string, text: string): string {
  const file = join(tempDir('rdl-cache-cli-'), name);
  writeFileSync(file, text);
  return file;
}

describe('rdl cache serve', () => {
  test('a bad tokens file: one line on stderr naming the file and the field, exit 1, nothing served', () => {
    const file = tempFile('tokens.json', JSON.stringify({ tokens: [{ token: 'a-token-of-16-chars+', access: 'write', scope: 'main' }] }));
    const r = spawnSync(
      process.execPath,
      [...rdl, 'cache', 'serve', '--dir', join(dirname(file), 'data'), '--port', '0', '--tokens', file],
      { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toBe(`rdl: ${file}: tokens.0.access: Invalid option: expected one of "read"|"read-write"`);
    expect(r.stdout).toBe('');
  });

  test('serves on the port it prints, logs each request on one line, stops on SIGTERM', async () => {
    const file = tempFile('tokens.json', JSON.stringify(TOKENS_FILE));
    const dir = join(dirname(file), 'data');
    const child = spawn(
      process.execPath,
      [...rdl, 'cache', 'serve', '--dir', dir, '--port', '0', '--tokens', file, '--host', '127.0.0.1'],
      { cwd: repoRoot },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/at (http:\/\/\S+) /.test(stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const url = /at (http:\/\/\S+) /.exec(stdout)![1]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect((await fetch(`${url}/v1/cache/1`, { headers: { authorization: `Bearer ${TOKENS.student}` } })).status).toBe(404);
      expect((await fetch(`${url}/v1/cache/1`)).status).toBe(401);
      await new Promise((r) => setTimeout(r, 100));
      expect(stdout.split('\n').filter((l) => / (GET|PUT) "/.test(l))).toHaveLength(3);
      expect(readdirSync(dir).sort()).toEqual(['scopes', 'tmp']);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/SIGTERM, stopping/);
  }, 90_000);
});

describe('@rdl/cache-server stands alone', () => {
  test('it imports no other rdl package (no science code, no TensorFlow.js)', () => {
    const pkg = JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['fastify', 'zod']);
    const src = join(here, '..', 'src');
    for (const file of readdirSync(src))
      expect(readFileSync(join(src, file), 'utf8'), file).not.toMatch(/from '@rdl\/|import\('@rdl\/|@tensorflow/);
  });
});
