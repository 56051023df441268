// The week-3 digit lab in a real Chromium, opened from file://, with the weights CI trains quickly.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstContentfulPaint, launch, openPage, requireSite, SCREENSHOTS, type OpenPage } from './harness.js';

let browser: Browser;
let lab: OpenPage;

async function resultId(page: Page): Promise<number> {
  return Number((await page.getByTestId('prediction').getAttribute('data-result-id')) ?? '0');
}

/** Waits until the page shows the answer to a request newer than `after`. */
async function nextResult(page: Page, after: number): Promise<void> {
  await page.waitForFunction(
    (prev) => Number(document.querySelector('[data-testid="prediction"]')?.getAttribute('data-result-id') ?? '0') > prev,
    after,
    { timeout: 60_000 },
  );
}

/** Clicks a load button `count` times; how many of the shown images raised `flag`. */
async function flagRate(page: Page, button: string, flag: string, count: number): Promise<number> {
  let raised = 0;
  for (let i = 0; i < count; i++) {
    const before = await resultId(page);
    await page.getByTestId(button).click();
    await nextResult(page, before);
    if ((await page.getByTestId(flag).textContent()) !== 'no') raised++;
  }
  return raised / count;
}

beforeAll(async () => {
  requireSite(true);
  browser = await launch();
  // ?seed= seeds the page's image draws: the same 100 images on every run.
  lab = await openPage(browser, 'week3.html?seed=7');
  await nextResult(lab.page, 0);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('week 3 digit lab (Chromium, file://)', () => {
  it('shows a default MNIST test digit on load, with every number, fast first paint, on wasm', async () => {
    const { page } = lab;
    for (const id of ['prediction', 'mcp', 'confidnet', 'odin', 'flag-error', 'flag-ood'])
      expect(await page.getByTestId(id).textContent()).not.toBe('–');
    expect(await page.getByTestId('source').textContent()).toMatch(/^MNIST test digit #\d+/);
    const fcp = await firstContentfulPaint(page);
    console.log(`digit lab: first contentful paint ${fcp.toFixed(0)} ms; backend ${await page.getByTestId('backend').textContent()}`);
    expect(fcp).toBeLessThanOrEqual(2000);
    expect(await page.getByTestId('backend').textContent()).toMatch(/^wasm, SIMD on, 4 rdl kernels/);
    expect(lab.problems).toEqual([]);
  });

  it('reads a "1" drawn with mouse strokes as 1, with votes summing to T', async () => {
    const { page } = lab;
    await page.getByTestId('clear').click();
    const box = (await page.getByTestId('canvas').boundingBox())!;
    const before = await resultId(page);
    // One slightly slanted downstroke, as people write a 1.
    await page.mouse.move(box.x + box.width * 0.53, box.y + box.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.47, box.y + box.height * 0.85, { steps: 25 });
    await page.mouse.up();
    await nextResult(page, before);
    expect(await page.getByTestId('source').textContent()).toBe('your drawing');
    expect(await page.getByTestId('prediction').textContent()).toBe('1');
    const votes = JSON.parse((await page.getByTestId('votes').getAttribute('data-votes'))!) as number[];
    const passes = Number(await page.getByTestId('votes').getAttribute('data-passes'));
    expect(passes).toBe(100);
    expect(votes).toHaveLength(10);
    expect(votes.reduce((a, b) => a + b, 0)).toBe(passes);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'week3-drawn-one.png'), fullPage: true });
    expect(lab.problems).toEqual([]);
  }, 120_000);

  it('raises the OOD flag on ≥ 90 % of 100 seeded Fashion-MNIST images and on ≤ 10 % of 100 MNIST test digits', async () => {
    const { page } = lab;
    const fashion = await flagRate(page, 'load-fashion', 'flag-ood', 100);
    const mnist = await flagRate(page, 'load-mnist', 'flag-ood', 100);
    console.log(`digit lab: OOD flag on ${(100 * fashion).toFixed(0)} % of Fashion-MNIST, ${(100 * mnist).toFixed(0)} % of MNIST test`);
    expect(fashion).toBeGreaterThanOrEqual(0.9);
    expect(mnist).toBeLessThanOrEqual(0.1);
    await page.getByTestId('load-failure').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent?.startsWith('misclassified'));
    await page.screenshot({ path: join(SCREENSHOTS, 'week3.png'), fullPage: true });
    expect(lab.problems).toEqual([]);
  }, 300_000);
});
