import type { StageManifest } from '../../core/manifest.js';
import type { StageContext } from '../../core/stage.js';

/**
 * Train times of the week-2 models. They differ from run to run, so they are run facts kept in
 * each model stage's manifest, never in its outputs: identical results then hash identically and
 * a rerun of a model stage does not cascade into evaluate, figures and the report.
 */
const PREFIX = 'trainSeconds';
const key = (method: string, dataset: string): string => `${PREFIX}:${method}:${dataset}`;

/** Records the seconds since `started` (a `performance.now()` reading) as the train time of `method` on `dataset`. */
export function recordTrainSeconds(
  record: StageContext<unknown, unknown>['record'],
  method: string,
  dataset: string,
  started: number,
): void {
  record(key(method, dataset), Number(((performance.now() - started) / 1000).toFixed(3)));
}

/** Train time of a method on a data set as recorded in the manifests, or null when none did. */
export function trainSecondsFrom(manifests: StageManifest[]): (method: string, dataset: string) => number | null {
  return (method, dataset) => {
    for (const manifest of manifests) {
      const value = manifest.records[key(method, dataset)];
      if (typeof value === 'number') return value;
    }
    return null;
  };
}
