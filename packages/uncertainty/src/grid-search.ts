import type { Score } from '@rdl/core';
import { scoreGrid, type HyperParams, type HyperSpace, type UncertaintyMethod } from './method.js';

/**
 * The one grid search of rdl, for every method. It is split in three so a pipeline can keep the
 * expensive part (scoring each point) apart from the cheap one (judging and choosing):
 * `gridPoints` enumerates a space, `selectBest` chooses from a table of values, and `gridSearch`
 * does both around an objective. Higher objective values are better (pass −FPR to minimise one);
 * ties keep the first point in grid order and NaN is never chosen, so the choice is deterministic.
 */

/** One evaluated point of a grid. */
export interface GridRow<P extends HyperParams> {
  params: P;
  value: number;
}

export interface GridSearchResult<P extends HyperParams> {
  /** The chosen point. */
  best: P;
  /** The objective there. */
  value: number;
  /** Every point in grid order with its objective, the chosen one included. */
  table: GridRow<P>[];
}

/** Every point of the space: the Cartesian product, first key outermost. An empty space has one point, `{}`. */
export function gridPoints<P extends HyperParams>(space: HyperSpace<P>): P[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(space) as [string, readonly unknown[]][]) {
    if (!Array.isArray(values) || values.length === 0) throw new Error(`gridPoints: hyper-parameter '${key}' has no values to try`);
    points = points.flatMap((point) => values.map((value) => ({ ...point, [key]: value })));
  }
  return points as P[];
}

/** The point with the highest value; ties keep the first, NaN is never chosen. */
export function selectBest<P extends HyperParams>(table: readonly GridRow<P>[]): GridSearchResult<P> {
  let best: GridRow<P> | undefined;
  for (const row of table) if (!Number.isNaN(row.value) && (best === undefined || row.value > best.value)) best = row;
  if (best === undefined)
    throw new Error(`selectBest: no grid point has a value (${table.length === 0 ? 'empty grid' : 'every value is NaN'})`);
  return { best: best.params, value: best.value, table: [...table] };
}

/** Evaluates `objective` at every point of `space`, in grid order, and chooses as `selectBest`. */
export async function gridSearch<P extends HyperParams>(
  space: HyperSpace<P>,
  objective: (params: P) => number | Promise<number>,
  options: { onPoint?: (row: GridRow<P>, index: number, total: number) => void } = {},
): Promise<GridSearchResult<P>> {
  const points = gridPoints(space);
  const table: GridRow<P>[] = [];
  for (const [index, params] of points.entries()) {
    const row = { params, value: await objective(params) };
    table.push(row);
    options.onPoint?.(row, index, points.length);
  }
  return selectBest(table);
}

export interface TuneMethodOptions<Input, P extends HyperParams, FitData> {
  /** Held-out inputs the objective judges (never the test set). */
  input: Input;
  /** Higher is better, e.g. AUROC of the score against held-out OOD labels. */
  objective: (score: Score<Float32Array>, params: P) => number | Promise<number>;
  /** Data `fit` learns from at every point; required when the method has a `fit`. */
  fitData?: FitData;
  /** A narrower or wider grid than the method's own `space`. */
  space?: HyperSpace<P>;
}

/**
 * Tunes a method on held-out data with the one grid search: at each point it fits (when the
 * method fits), scores `input` and judges the score. Methods that share work between points
 * (`scoreGrid`) and have no fit score the whole grid in one call. The method is left fitted at the
 * last point tried; call `fit` with the chosen params to use it.
 */
export async function tuneMethod<Input, P extends HyperParams, FitData>(
  method: UncertaintyMethod<Input, P, FitData>,
  options: TuneMethodOptions<Input, P, FitData>,
): Promise<GridSearchResult<P>> {
  const space = options.space ?? method.space;
  if (method.fit && options.fitData === undefined) throw new Error(`tuneMethod: ${method.name} needs fitData to fit at each grid point`);
  if (!method.fit) {
    const points = gridPoints(space);
    const scores = await scoreGrid(method, options.input, points);
    const table: GridRow<P>[] = [];
    for (const [k, params] of points.entries()) table.push({ params, value: await options.objective(scores[k]!, params) });
    return selectBest(table);
  }
  return gridSearch(space, async (params) => {
    await method.fit!(options.fitData as FitData, params);
    return options.objective(await method.score(options.input, params), params);
  });
}
