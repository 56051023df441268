import cliProgress from 'cli-progress';
import type { Progress } from './stage.js';

/**
 * A bar on an interactive terminal; otherwise a line at every 10 %, which reads well in Nx's
 * captured output and in CI logs.
 */
export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY && !process.env.CI) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} {bar} {percentage}% | {value}/{total} | {detail}`, stream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { detail: '' });
    return {
      tick: (done, detail = '') => bar.update(Math.min(done, total), { detail }),
      done: (detail = '') => {
        bar.update(total, { detail });
        bar.stop();
      },
    };
  }
  let nextReport = 0.1;
  const started = Date.now();
  return {
    tick: (done, detail) => {
      const fraction = total > 0 ? done / total : 1;
      if (fraction + 1e-9 >= nextReport) {
        nextReport = Math.floor(fraction * 10 + 1e-9) / 10 + 0.1;
        stream.write(`${label}: ${Math.round(fraction * 100)}% (${done}/${total})${detail ? ` ${detail}` : ''}\n`);
      }
    },
    done: (detail) => stream.write(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s${detail ? ` ${detail}` : ''}\n`),
  };
}
