import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { allPipelines } from '../packages/pipeline/src/pipelines.js';
import {
  GENERATED_PROJECTS_DIR,
  generatedProjects,
  type GeneratedProject,
  type NxDependency,
  type NxProject,
  studySeeds,
  workspaceRootFromHere,
} from '../packages/pipeline/src/nx/targets.js';
import { allStudies } from '../packages/pipeline/src/studies.js';

// The DAG in TypeScript is the source of truth; the project.json files are derived from it. A
// stale file would give Nx wrong inputs (a poisoned cache), so each must match exactly, and no
// generated project of a seed no longer configured may remain.
const root = workspaceRootFromHere();
let generated: GeneratedProject[] = [];
const projects = new Map<string, NxProject>();

beforeAll(async () => {
  generated = await generatedProjects(root, allPipelines, allStudies);
  for (const { project } of generated) projects.set(project.name, project);
}, 120_000);

/** `project:target` of a dependency of a target of `project`. */
const task = (project: string, dep: NxDependency): string =>
  typeof dep === 'string' ? `${project}:${dep}` : `${dep.projects.join(',')}:${dep.target}`;

test('every generated project.json is what `npm run gen:nx` generates from the DAG, and no stale one remains', () => {
  for (const { file, project } of generated) {
    const committed = JSON.parse(readFileSync(join(root, file), 'utf8')) as unknown;
    expect(committed, `run \`npm run gen:nx\` and commit ${file}`).toEqual(project);
  }
  const folders = readdirSync(join(root, GENERATED_PROJECTS_DIR)).sort();
  const expected = generated.filter((g) => g.file.startsWith(`${GENERATED_PROJECTS_DIR}/`)).map((g) => g.file.split('/').at(-2)!);
  expect(folders, `stale projects under ${GENERATED_PROJECTS_DIR}: run \`npm run gen:nx\``).toEqual(expected.sort());
});

test('every stage target depends on its needs and outputs its own folder', () => {
  const pipeline = projects.get('pipeline')!;
  for (const week of allPipelines) {
    expect(pipeline.targets[week.name]?.dependsOn).toEqual(week.stages.map((s) => `${week.name}-${s.name}`));
    for (const stage of week.stages) {
      const target = pipeline.targets[`${week.name}-${stage.name}`]!;
      expect(target.dependsOn).toEqual(Object.values(stage.needs).map((s) => `${week.name}-${s.name}`));
      expect(target.outputs).toEqual([`{workspaceRoot}/artifacts/${week.name}/${stage.name}`]);
    }
  }
});

test("each study's projects follow its week's config: a project per seed with a clone per cloned stage, the week's seed served by the week's own targets", () => {
  const pipeline = projects.get('pipeline')!;
  for (const study of allStudies) {
    const { seeds, weekSeed } = studySeeds(root, study);
    const week = study.pipeline.name;
    const seedProjects = [...projects.keys()].filter((p) => p.startsWith(`${week}-seed-`));
    expect(seedProjects.sort()).toEqual(seeds.filter((s) => s !== weekSeed).map((s) => `${week}-seed-${s}`));
    // The pipeline project holds no clone and no study stage: adding a seed leaves its configuration alone.
    expect(Object.keys(pipeline.targets).filter((t) => t.startsWith(`${week}-seed-`) || t.startsWith(`${study.name}-`))).toEqual([]);
    for (const seed of seeds.filter((s) => s !== weekSeed)) {
      const project = projects.get(`${week}-seed-${seed}`)!;
      expect(Object.keys(project.targets).sort()).toEqual(study.seedStages.map((s) => `${week}-seed-${seed}-${s.name}`).sort());
      expect(project.namedInputs).toEqual(pipeline.namedInputs);
      for (const stage of study.seedStages) {
        const target = project.targets[`${week}-seed-${seed}-${stage.name}`]!;
        expect(target.options?.command).toMatch(new RegExp(` ${week} ${stage.name}( --tfjs)? --seed ${seed}$`));
        expect(target.outputs).toEqual([`{workspaceRoot}/artifacts/${week}-study/seed-${seed}/${stage.name}`]);
        expect(target.dependsOn).toEqual(Object.values(stage.needs).map((n) => `${week}-seed-${seed}-${n.name}`));
      }
    }
    const studyProject = projects.get(study.name)!;
    expect(Object.keys(studyProject.targets)).toEqual(study.stages.map((s) => `${study.name}-${s.name}`));
    const aggregate = studyProject.targets[`${study.name}-aggregate`]!;
    expect(aggregate.options?.command).toContain(`--seeds ${seeds.join(',')} --week-seed ${weekSeed}`);
    const upstream = aggregate.dependsOn!.map((d) => task(study.name, d));
    expect(upstream).toEqual(
      expect.arrayContaining([`pipeline:${week}-failure`, `pipeline:${week}-evaluate`].filter((t) => t.split(':')[1]! in pipeline.targets)),
    );
    for (const seed of seeds.filter((s) => s !== weekSeed))
      expect(
        upstream.some((t) => t.startsWith(`${week}-seed-${seed}:`)),
        `seed ${seed}`,
      ).toBe(true);
    // `nx run pipeline:<week>-study` stays the entry point.
    expect(pipeline.targets[study.name]!.dependsOn!.map((d) => task('pipeline', d))).toEqual(
      study.stages.map((s) => `${study.name}:${study.name}-${s.name}`),
    );
    // The quick single-seed run never waits for a study.
    expect(pipeline.targets[week]!.dependsOn!.some((t) => task('pipeline', t).match(/-seed-|-study/))).toBe(false);
  }
});
