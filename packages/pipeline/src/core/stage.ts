import type { z } from 'zod';
import type { OutputSpec, OutputValues } from './artifacts.js';
import type { StageManifest } from './manifest.js';

/** Live reporting a stage may use; the runner decides how it is shown (bars on a TTY, lines otherwise). */
export interface Progress {
  tick(done: number, detail?: string): void;
  done(detail?: string): void;
}

export interface StageContext<C, I> {
  pipeline: string;
  stage: string;
  config: C;
  /** The pipeline's seed; stages derive their own streams from it. */
  seed: number;
  /** Upstream outputs, read back from their artifact folders and typed by the upstream stage. */
  inputs: I;
  log(message: string): void;
  progress(label: string, total: number): Progress;
  /**
   * Extra facts for the manifest, e.g. timings. Whatever varies from run to run belongs here,
   * never in the outputs: outputs are what descendants' cache keys hash.
   */
  record(key: string, value: string | number | boolean): void;
  /**
   * The manifest of an upstream stage (a need, or a need's need…), e.g. to show its timings.
   * Manifests are in no cache key, so what a stage reads here must not change its results.
   */
  manifest(stage: AnyStage): Promise<StageManifest>;
}

/** The erased view of a stage, used by the registry, the runner and the Nx generator. */
export interface AnyStage {
  readonly name: string;
  readonly description: string;
  readonly configSchema: z.ZodType;
  readonly needs: Record<string, AnyStage>;
  readonly outputs: OutputSpec;
  /** The module that defines the stage, for the Nx input analysis. */
  readonly module: string;
  /** Study stages only (core/study.ts): week stages whose outputs the stage reads once per seed. */
  readonly perSeed?: Record<string, AnyStage>;
  run(context: StageContext<unknown, Record<string, Record<string, unknown>>>): Promise<Record<string, unknown>>;
}

export interface Stage<Name extends string, C, O extends OutputSpec> extends AnyStage {
  readonly name: Name;
  readonly outputs: O;
  /** Phantom field carrying the parsed config type. */
  readonly __config?: C;
}

export type InputsOf<N extends Record<string, AnyStage>> = {
  [K in keyof N]: N[K] extends Stage<string, unknown, infer O> ? OutputValues<O> : never;
};

export interface StageDefinition<Name extends string, S extends z.ZodType, N extends Record<string, AnyStage>, O extends OutputSpec> {
  name: Name;
  description: string;
  /** `import.meta.url` of the defining module. */
  module: string;
  config: S;
  needs: N;
  outputs: O;
  run(context: StageContext<z.output<S>, InputsOf<N>>): Promise<OutputValues<O>>;
}

/**
 * Declares a stage. Upstream outputs arrive typed by the upstream stage's `outputs`, so wiring a
 * stage to an artifact that does not exist, or reading it as the wrong type, fails to compile.
 */
export function defineStage<const Name extends string, S extends z.ZodType, N extends Record<string, AnyStage>, O extends OutputSpec>(
  definition: StageDefinition<Name, S, N, O>,
): Stage<Name, z.output<S>, O> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) {
    throw new Error(`stage name '${definition.name}' must be kebab-case (it becomes an Nx target and a folder)`);
  }
  return {
    name: definition.name,
    description: definition.description,
    module: definition.module,
    configSchema: definition.config,
    needs: definition.needs,
    outputs: definition.outputs,
    run: definition.run as AnyStage['run'],
  };
}

export interface Pipeline {
  readonly name: string;
  readonly description: string;
  /** Topologically ordered. */
  readonly stages: readonly AnyStage[];
  /** The config file relative to the workspace root, e.g. `configs/week1.json`. */
  readonly configFile: string;
}

/** Collects the stages reachable from `stages` and orders them so every stage follows its needs. */
export function definePipeline(definition: { name: string; description: string; stages: AnyStage[] }): Pipeline {
  const ordered: AnyStage[] = [];
  const state = new Map<AnyStage, 'visiting' | 'done'>();
  const visit = (stage: AnyStage, path: string[]): void => {
    const seen = state.get(stage);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`pipeline ${definition.name}: cycle ${[...path, stage.name].join(' -> ')}`);
    state.set(stage, 'visiting');
    for (const need of Object.values(stage.needs)) visit(need, [...path, stage.name]);
    state.set(stage, 'done');
    ordered.push(stage);
  };
  for (const stage of definition.stages) visit(stage, []);
  const names = new Set<string>();
  for (const stage of ordered) {
    if (names.has(stage.name)) throw new Error(`pipeline ${definition.name}: two stages are named '${stage.name}'`);
    names.add(stage.name);
  }
  return { name: definition.name, description: definition.description, stages: ordered, configFile: `configs/${definition.name}.json` };
}
