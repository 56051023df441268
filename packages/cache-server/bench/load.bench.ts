// Load benchmark of `rdl cache serve`: one large entry (default 150 MB, incompressible, shaped
// like an Nx upload) is stored once, then restored by many clients at the same time (default 50).
// Prints upload and download throughput and the server's resident memory, sampled from
// /proc/<pid>/status while the downloads run (VmRSS) and its high-water mark (VmHWM).
//
//   npm run bench:cache -- [--clients 50] [--size-mb 150] [--server bundle|source] [--json]
//
// --server bundle (default) builds the CLI (apps/cli/build.mjs) and runs `node apps/cli/dist/rdl.mjs
// cache serve`, as installed; --server source runs apps/cli/src/rdl.ts through tsx.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { get, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { tarHeader } from '../test/helpers.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const CLIENTS = Number(flag('clients', '50'));
const SIZE_MB = Number(flag('size-mb', '150'));
const SERVER = flag('server', 'bundle');
const JSON_OUT = argv.includes('--json');
const RSS_LIMIT_MB = 200;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'rdl-cache-bench-'));
const TOKEN = 'bench-writer-0123456789abcdef';
const say = (line: string) => {
  if (!JSON_OUT) process.stdout.write(line + '\n');
};

/** An Nx-shaped entry: one big output file of random bytes, then `terminalOutput` and `code`. */
async function makeEntry(file: string, bytes: number): Promise<string> {
  const gzip = createGzip({ level: 1 });
  const out = createWriteStream(file);
  const hash = createHash('sha256');
  gzip.on('data', (chunk: Buffer) => hash.update(chunk));
  gzip.pipe(out);
  const write = (data: Buffer) => (gzip.write(data) ? Promise.resolve() : new Promise<void>((r) => gzip.once('drain', () => r())));
  await write(tarHeader({ name: 'artifacts/week3/predict/outputs/features.arrow', data: '' }, bytes));
  for (let left = bytes; left > 0; left -= 1 << 20) await write(randomBytes(Math.min(left, 1 << 20)));
  await write(Buffer.alloc((512 - (bytes % 512)) % 512));
  for (const [name, data] of [
    ['terminalOutput', Buffer.from('bench\n')],
    ['code', Buffer.alloc(4)],
  ] as const) {
    await write(tarHeader({ name, data, format: 'v7' }, data.length));
    await write(Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]));
  }
  await write(Buffer.alloc(1024));
  gzip.end();
  await finished(out);
  return hash.digest('hex');
}

function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

async function main() {
  const tokens = join(work, 'tokens.json');
  writeFileSync(tokens, JSON.stringify({ tokens: [{ token: TOKEN, access: 'read-write', scope: 'main' }] }));
  say(`rdl cache bench: ${CLIENTS} concurrent GETs of a ${SIZE_MB} MB entry (server: ${SERVER})`);

  const entry = join(work, 'entry.tar.gz');
  let t = performance.now();
  const sha = await makeEntry(entry, SIZE_MB * 1e6);
  const size = statSync(entry).size;
  say(`  entry: ${(size / 1e6).toFixed(1)} MB gzip-compressed tar, made in ${((performance.now() - t) / 1e3).toFixed(1)} s`);

  let command: string[];
  if (SERVER === 'bundle') {
    const built = spawnSync(process.execPath, ['build.mjs'], { cwd: join(root, 'apps', 'cli'), stdio: 'inherit' });
    if (built.status !== 0) throw new Error('building the CLI failed');
    command = [join(root, 'apps', 'cli', 'dist', 'rdl.mjs')];
  } else {
    command = ['--import', 'tsx', '--conditions=rdl-source', join(root, 'apps', 'cli', 'src', 'rdl.ts')];
  }
  const logFile = join(work, 'access.log');
  const log = openSync(logFile, 'a');
  const server = spawn(process.execPath, [...command, 'cache', 'serve', '--dir', join(work, 'data'), '--port', '0', '--tokens', tokens], {
    cwd: root,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let url = '';
  for (const end = Date.now() + 60_000; !url;) {
    url = / at (http:\/\/\S+) /.exec(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')?.[1] ?? '';
    if (!url && (Date.now() > end || server.exitCode !== null)) throw new Error(`server did not start: ${readFileSync(logFile, 'utf8')}`);
    if (!url) await new Promise((r) => setTimeout(r, 50));
  }
  const pid = server.pid!;
  try {
    await new Promise((r) => setTimeout(r, 300));
    const idle = memory(pid);
    say(`  server pid ${pid}, idle RSS ${idle.rss.toFixed(0)} MB`);

    // Upload, streamed from disk with its Content-Length, as Nx sends it.
    t = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${url}/v1/cache/1234567890`,
        {
          method: 'PUT',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream', 'content-length': String(size) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      createReadStream(entry).pipe(req);
    });
    const uploadS = (performance.now() - t) / 1e3;
    if (status !== 200) throw new Error(`upload answered ${status}`);
    const afterUpload = memory(pid);
    say(
      `  upload: ${uploadS.toFixed(2)} s, ${(size / 1e6 / uploadS).toFixed(0)} MB/s (checked while streaming: gzip + tar), RSS ${afterUpload.rss.toFixed(0)} MB`,
    );

    // Many clients at once, each reading the whole body; the first one's bytes are checked.
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memory(pid).rss);
    }, 20);
    t = performance.now();
    const times = await Promise.all(
      Array.from(
        { length: CLIENTS },
        (_, i) =>
          new Promise<{ seconds: number; bytes: number; ok: boolean }>((resolve, reject) => {
            const start = performance.now();
            get(`${url}/v1/cache/1234567890`, { headers: { authorization: `Bearer ${TOKEN}` }, agent: false }, (res) => {
              let bytes = 0;
              const hash = i === 0 ? createHash('sha256') : undefined;
              res.on('data', (chunk: Buffer) => {
                bytes += chunk.length;
                hash?.update(chunk);
              });
              res.on('end', () =>
                resolve({
                  seconds: (performance.now() - start) / 1e3,
                  bytes,
                  ok: res.statusCode === 200 && bytes === size && (!hash || hash.digest('hex') === sha),
                }),
              );
              res.on('error', reject);
            }).on('error', reject);
          }),
      ),
    );
    const wall = (performance.now() - t) / 1e3;
    clearInterval(sampler);
    const end = memory(pid);
    peak = Math.max(peak, end.rss);
    const sorted = times.map((x) => x.seconds).sort((x, y) => x - y);
    const failed = times.filter((x) => !x.ok).length;
    const result = {
      clients: CLIENTS,
      entryMB: size / 1e6,
      server: SERVER,
      uploadSeconds: uploadS,
      uploadMBps: size / 1e6 / uploadS,
      downloadWallSeconds: wall,
      downloadMBps: (CLIENTS * size) / 1e6 / wall,
      perClientSeconds: { min: sorted[0], median: sorted[sorted.length >> 1], max: sorted.at(-1) },
      failed,
      rssIdleMB: idle.rss,
      rssPeakDuringDownloadsMB: peak,
      rssHighWaterMB: end.hwm,
      rssLimitMB: RSS_LIMIT_MB,
      withinLimit: end.hwm < RSS_LIMIT_MB,
    };
    if (JSON_OUT) process.stdout.write(JSON.stringify(result) + '\n');
    say(
      `  ${CLIENTS} concurrent GETs: ${wall.toFixed(2)} s wall, ${result.downloadMBps.toFixed(0)} MB/s in all ` +
        `(per client ${sorted[0]!.toFixed(2)} / ${sorted[sorted.length >> 1]!.toFixed(2)} / ${sorted.at(-1)!.toFixed(2)} s min / median / max), ${failed} failed`,
    );
    say(
      `  server RSS: peak ${peak.toFixed(0)} MB while serving (sampled every 20 ms), high-water mark ${end.hwm.toFixed(0)} MB — limit ${RSS_LIMIT_MB} MB: ${result.withinLimit ? 'within' : 'OVER'}`,
    );
    if (failed > 0 || !result.withinLimit) process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
