/**
 * Opens the built site in the machine's Chromium (Debian's `chromium` package, driven by
 * playwright-core: no browser is downloaded) from file://, and records every console error,
 * uncaught page error and failed request, so a test can fail on any of them.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SITE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'artifacts', 'web');

/** Fails with the command to run when the site or its weights are missing (never skips). */
export function requireSite(withModel: boolean): void {
  if (!existsSync(join(SITE, 'index.html'))) throw new Error(`${SITE} has no site: run npx nx run web:build`);
  if (withModel && !existsSync(join(SITE, 'model', 'model.js')))
    throw new Error(`${SITE}/model/model.js is missing: train quick weights and export them (README, "Browser lab")`);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
}

export interface OpenPage {
  page: Page;
  /** Console errors, page errors and failed requests seen so far. */
  problems: string[];
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export async function openPage(browser: Browser, file: string): Promise<OpenPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console error: ${m.text()}`)));
  const [path, query] = file.split('?');
  const response = await page.goto(pathToFileURL(join(SITE, path!)).href + (query ? `?${query}` : ''));
  if (response && !response.ok()) problems.push(`${file}: status ${response.status()}`);
  return { page, problems };
}

/** First contentful paint in ms, from the page's own Performance API. */
export async function firstContentfulPaint(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolveFcp) => {
        const entry = performance.getEntriesByName('first-contentful-paint')[0];
        if (entry) return resolveFcp(entry.startTime);
        new PerformanceObserver((list) => {
          const fcp = list.getEntriesByName('first-contentful-paint')[0];
          if (fcp) resolveFcp(fcp.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
}
