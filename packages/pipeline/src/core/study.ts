import type { z } from 'zod';
import type { OutputSpec, OutputValues } from './artifacts.js';
import { defineStage, type AnyStage, type InputsOf, type Pipeline, type Stage, type StageContext, type StageDefinition } from './stage.js';

/** One seed's outputs of a study stage's `perSeed` stages. */
export interface SeedRun<P> {
  seed: number;
  inputs: P;
}

export interface StudyStageContext<C, I, P> extends StageContext<C, I> {
  /** Every seed of the study, in the config's order, with the outputs of the `perSeed` stages of that seed. */
  seeds: SeedRun<P>[];
}

export interface StudyStageDefinition<
  Name extends string,
  S extends z.ZodType,
  N extends Record<string, AnyStage>,
  P extends Record<string, AnyStage>,
  O extends OutputSpec,
> extends Omit<StageDefinition<Name, S, N, O>, 'run'> {
  /** Week stages read once per seed (seed = the week's seed: the week's own result; others: the seed's clones). */
  perSeed: P;
  run(context: StudyStageContext<z.output<S>, InputsOf<N>, InputsOf<P>>): Promise<OutputValues<O>>;
}

/**
 * Declares a stage of a multi-seed study. `needs` are read once: the week's stages (the week's
 * seed) or earlier study stages; `perSeed` stages are read for every seed of the study.
 */
export function defineStudyStage<
  const Name extends string,
  S extends z.ZodType,
  N extends Record<string, AnyStage>,
  P extends Record<string, AnyStage>,
  O extends OutputSpec,
>(definition: StudyStageDefinition<Name, S, N, P, O>): Stage<Name, z.output<S>, O> & { readonly perSeed: P } {
  const { perSeed, run, ...rest } = definition;
  const stage = defineStage({ ...rest, run: run as unknown as StageDefinition<Name, S, N, O>['run'] });
  return { ...stage, perSeed };
}

/** A multi-seed study of one week: `<week>-study`, with its artifacts under artifacts/<week>-study/. */
export interface Study {
  readonly name: string;
  readonly description: string;
  readonly pipeline: Pipeline;
  /** The study's own stages (aggregate, report…), ordered so each follows its needs. */
  readonly stages: readonly AnyStage[];
  /** The week stages every seed runs: the `perSeed` stages and their ancestors, in the week's order. */
  readonly seedStages: readonly AnyStage[];
}

export const studyName = (pipeline: string): string => `${pipeline}-study`;

/**
 * Where a seed's clone of the week's stages keeps its artifacts (relative to artifacts/): a
 * folder of the study, so the week's own folder holds only the week's single-seed run.
 */
export const seedScope = (pipeline: string, seed: number): string => `${studyName(pipeline)}/seed-${seed}`;

/** The artifact scope of a seed's week stages: the week's own folder for its seed, else the seed's clone. */
export const scopeOfSeed = (pipeline: string, seed: number, weekSeed: number): string =>
  seed === weekSeed ? pipeline : seedScope(pipeline, seed);

function collectAncestors(stage: AnyStage, out: Set<AnyStage>): void {
  if (out.has(stage)) return;
  out.add(stage);
  for (const need of Object.values(stage.needs)) collectAncestors(need, out);
}

export function defineStudy(definition: { pipeline: Pipeline; description: string; stages: AnyStage[] }): Study {
  const { pipeline } = definition;
  const name = studyName(pipeline.name);
  const weekStages = new Set(pipeline.stages);
  const earlier = new Set<AnyStage>();
  const seedSet = new Set<AnyStage>();
  for (const stage of definition.stages) {
    if (/^seed-\d+$/.test(stage.name)) throw new Error(`study ${name}: stage name '${stage.name}' is reserved for seed folders`);
    for (const [key, need] of Object.entries(stage.needs)) {
      if (!weekStages.has(need) && !earlier.has(need))
        throw new Error(
          `study ${name}: ${stage.name} needs '${key}', which is neither a ${pipeline.name} stage nor an earlier study stage`,
        );
    }
    for (const [key, need] of Object.entries(stage.perSeed ?? {})) {
      if (!weekStages.has(need))
        throw new Error(`study ${name}: ${stage.name} reads '${key}' per seed, which is not a ${pipeline.name} stage`);
      collectAncestors(need, seedSet);
    }
    if ([...earlier].some((s) => s.name === stage.name)) throw new Error(`study ${name}: two stages are named '${stage.name}'`);
    earlier.add(stage);
  }
  return {
    name,
    description: definition.description,
    pipeline,
    stages: definition.stages,
    seedStages: pipeline.stages.filter((s) => seedSet.has(s)),
  };
}
