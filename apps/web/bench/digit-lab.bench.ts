/**
 * `npm run bench:web`: digit-lab inference in headless Chromium (the built site from file://,
 * the exported weights): prediction, MCP, MC dropout with T = 100, ConfidNet and ODIN per image,
 * timed inside the worker and round trip from the page. The target is ≤ 100 ms per image.
 */
import { launch, openPage, requireSite } from '../test/browser/harness.js';

const WARMUP = 5;
const IMAGES = 50;
const TARGET_MS = 100;

requireSite(true);
const browser = await launch();
try {
  const { page, problems } = await openPage(browser, 'week3.html');
  await page.waitForFunction(
    () => window.rdlLab !== undefined && document.querySelector('[data-testid="prediction"]')?.getAttribute('data-result-id'),
    null,
    {
      timeout: 120_000,
    },
  );
  const timings = await page.evaluate(
    async ({ warmup, images }) => {
      const model = window.RDL_MODEL as { samples: { mnist: { pixels: string; count: number } } };
      const raw = atob(model.samples.mnist.pixels);
      const pixels = Uint8Array.from(raw, (c) => c.charCodeAt(0));
      const worker: number[] = [];
      const roundTrip: number[] = [];
      for (let i = 0; i < warmup + images; i++) {
        const k = i % model.samples.mnist.count;
        const started = performance.now();
        const r = await window.rdlLab!.classify(pixels.slice(k * 784, (k + 1) * 784));
        if (i >= warmup) {
          roundTrip.push(performance.now() - started);
          worker.push(r.ms);
        }
      }
      return { worker, roundTrip, backend: window.rdlLab!.backend };
    },
    { warmup: WARMUP, images: IMAGES },
  );
  const stats = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return {
      median: s[Math.floor(s.length / 2)]!,
      p95: s[Math.floor(0.95 * (s.length - 1))]!,
      mean: s.reduce((a, b) => a + b, 0) / s.length,
    };
  };
  const w = stats(timings.worker);
  const r = stats(timings.roundTrip);
  const fmt = (x: { median: number; p95: number; mean: number }) =>
    `median ${x.median.toFixed(1)} ms, mean ${x.mean.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms`;
  process.stdout.write(`digit lab, headless Chromium, backend ${timings.backend}; ${IMAGES} MNIST test images after ${WARMUP} warm-up\n`);
  process.stdout.write(`  in the worker (LeNet + MC dropout T = 100 + ConfidNet + ODIN): ${fmt(w)}\n`);
  process.stdout.write(`  round trip from the page:                                    ${fmt(r)}\n`);
  process.stdout.write(`  target ≤ ${TARGET_MS} ms per image: ${r.median <= TARGET_MS ? 'met' : 'NOT met'} (median round trip)\n`);
  if (problems.length) process.stdout.write(`  page problems: ${problems.join('; ')}\n`);
} finally {
  await browser.close();
}
