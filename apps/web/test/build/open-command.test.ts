import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// `web:open`'s last step (main.ts open): build, serve, hand the URL to the system's launcher.
// BROWSER steers xdg-open (and the `open` package's bundled copy) to a stand-in browser.
const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspaceRoot = resolve(appDir, '..', '..');
let child: ChildProcess | undefined;

afterEach(() => {
  if (child?.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  child = undefined;
});

/** Runs `main.ts open` until `until` matches its output; returns the output so far. */
function runOpen(browser: string, until: RegExp): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    child = spawn(process.execPath, ['--import', 'tsx', '--conditions=rdl-source', join(appDir, 'src/build/main.ts'), 'open'], {
      cwd: workspaceRoot,
      env: { ...process.env, BROWSER: browser, PORT: '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (until.test(out)) resolvePromise(out);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`main.ts open exited (${code}) before ${until}:\n${out}`)));
  });
}

describe('web open', () => {
  it('builds, serves the pages and says the browser opened them', async () => {
    const out = await runOpen('/bin/true', /opened (http:\S+) in the default browser/);
    const url = /opened (http:\S+) in the default browser/.exec(out)![1];
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('week3.html');
  }, 120_000);

  it('without a browser, says so and gives the URL to open', async () => {
    const out = await runOpen('/bin/false', /could not open a browser \(the launcher exited with code \d+\): open (http:\S+) yourself/);
    expect(out).toMatch(/serving .* at http:\/\//);
  }, 120_000);
});
