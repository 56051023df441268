// The week-2 playground in a real Chromium, opened from file://: training in the page's worker.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANES } from '../../src/week2/settings.js';
import { firstContentfulPaint, launch, openPage, requireSite, SCREENSHOTS, type OpenPage } from './harness.js';

let browser: Browser;
let playground: OpenPage;

const trainedId = async (page: Page): Promise<number> =>
  Number((await page.getByTestId('train-state').getAttribute('data-trained-id')) || '0');

async function waitTrained(page: Page, after: number): Promise<void> {
  await page.waitForFunction(
    (prev) => Number(document.querySelector('[data-testid="train-state"]')?.getAttribute('data-trained-id') || '0') > prev,
    after,
    { timeout: 180_000 },
  );
}

const number = async (page: Page, id: string): Promise<number> => Number(await page.getByTestId(id).textContent());

beforeAll(async () => {
  requireSite(false);
  browser = await launch();
  playground = await openPage(browser, 'week2.html');
  await waitTrained(playground.page, 0);
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

describe('week 2 playground (Chromium, file://)', () => {
  it("states the SPEC's far-entropy claim as numbers: VI and MC dropout above the deterministic net", async () => {
    const { page } = playground;
    const det = await number(page, 'entropy-far-deterministic');
    const vi = await number(page, 'entropy-far-vi');
    const mc = await number(page, 'entropy-far-mc-dropout');
    const laplace = await number(page, 'entropy-far-laplace');
    console.log(`playground far entropy: deterministic ${det}, Laplace ${laplace}, VI ${vi}, MC dropout ${mc}`);
    for (const v of [det, vi, mc, laplace]) expect(Number.isFinite(v)).toBe(true);
    expect(vi).toBeGreaterThan(det);
    expect(mc).toBeGreaterThan(det);
    expect(await page.getByTestId('claim-vi').getAttribute('data-holds')).toBe('true');
    expect(await page.getByTestId('claim-mc-dropout').getAttribute('data-holds')).toBe('true');
    expect(await firstContentfulPaint(page)).toBeLessThanOrEqual(2000);
    expect(playground.problems).toEqual([]);
  });

  it('adding a cluster of one class in an empty region lowers the predictive entropy there', async () => {
    const { page } = playground;
    const plane = (await page.getByTestId('plane').boundingBox())!;
    const { x0, x1 } = PLANES.moons;
    // (−2, −1.6): more than 1.5 from every moons point ("far"), on VI's and MC dropout's uncertain band.
    const at = (px: number, py: number) => ({
      x: plane.x + ((px - x0[0]) / (x0[1] - x0[0])) * plane.width,
      y: plane.y + (1 - (py - x1[0]) / (x1[1] - x1[0])) * plane.height,
    });
    const before = await trainedId(page);
    await page.getByTestId('label-1').check();
    for (let k = 0; k < 16; k++) {
      const p = at(-2 + 0.25 * Math.cos(k), -1.6 + 0.25 * Math.sin(1.7 * k));
      await page.mouse.click(p.x, p.y);
    }
    await waitTrained(page, before);
    const rows: string[] = [];
    for (const method of ['deterministic', 'laplace', 'vi', 'mc-dropout']) {
      const was = await number(page, `entropy-added-before-${method}`);
      const now = await number(page, `entropy-added-${method}`);
      rows.push(`${method} ${was} → ${now}`);
      // VI and MC dropout were uncertain there before the cluster; every method is less so after.
      if (method === 'vi' || method === 'mc-dropout') expect(was).toBeGreaterThan(0.05);
      expect(now).toBeLessThan(was);
    }
    console.log(`playground entropy around the added cluster: ${rows.join(', ')}`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'week2.png'), fullPage: true });
    expect(playground.problems).toEqual([]);
  }, 240_000);
});
