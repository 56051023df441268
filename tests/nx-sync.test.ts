import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { allPipelines } from '../packages/pipeline/src/pipelines.js';
import { pipelineProject, studySeeds, workspaceRootFromHere } from '../packages/pipeline/src/nx/targets.js';
import { allStudies } from '../packages/pipeline/src/studies.js';

// The DAG in TypeScript is the source of truth; project.json is derived from it. A stale file
// would give Nx wrong inputs (a poisoned cache), so it must match exactly.
test('packages/pipeline/project.json is what `npm run gen:nx` generates from the DAG', async () => {
  const root = workspaceRootFromHere();
  const committed = JSON.parse(readFileSync(join(root, 'packages/pipeline/project.json'), 'utf8')) as unknown;
  expect(committed, 'run `npm run gen:nx` and commit packages/pipeline/project.json').toEqual(
    await pipelineProject(root, allPipelines, allStudies),
  );
});

test('every stage target depends on its needs and outputs its own folder', async () => {
  const project = (await pipelineProject(workspaceRootFromHere(), allPipelines)) as {
    targets: Record<string, { dependsOn?: string[]; outputs?: string[] }>;
  };
  for (const pipeline of allPipelines) {
    expect(project.targets[pipeline.name]?.dependsOn).toEqual(pipeline.stages.map((s) => `${pipeline.name}-${s.name}`));
    for (const stage of pipeline.stages) {
      const target = project.targets[`${pipeline.name}-${stage.name}`]!;
      expect(target.dependsOn).toEqual(Object.values(stage.needs).map((s) => `${pipeline.name}-${s.name}`));
      expect(target.outputs).toEqual([`{workspaceRoot}/artifacts/${pipeline.name}/${stage.name}`]);
    }
  }
});

test("each study's targets follow its week's config: a clone per seed and per cloned stage, the week's seed served by the week's own targets", async () => {
  const root = workspaceRootFromHere();
  const project = (await pipelineProject(root, allPipelines, allStudies)) as {
    targets: Record<string, { dependsOn?: string[]; outputs?: string[]; options?: { command?: string } }>;
  };
  for (const study of allStudies) {
    const { seeds, weekSeed } = studySeeds(root, study);
    const week = study.pipeline.name;
    const clones = Object.keys(project.targets).filter((t) => t.startsWith(`${week}-seed-`));
    const expected = seeds.filter((s) => s !== weekSeed).flatMap((s) => study.seedStages.map((stage) => `${week}-seed-${s}-${stage.name}`));
    expect(clones.sort()).toEqual(expected.sort());
    for (const seed of seeds.filter((s) => s !== weekSeed)) {
      for (const stage of study.seedStages) {
        const target = project.targets[`${week}-seed-${seed}-${stage.name}`]!;
        expect(target.options?.command).toMatch(new RegExp(` ${week} ${stage.name}( --tfjs)? --seed ${seed}$`));
        expect(target.outputs).toEqual([`{workspaceRoot}/artifacts/${week}-study/seed-${seed}/${stage.name}`]);
        expect(target.dependsOn).toEqual(Object.values(stage.needs).map((n) => `${week}-seed-${seed}-${n.name}`));
      }
    }
    const aggregate = project.targets[`${study.name}-aggregate`]!;
    expect(aggregate.options?.command).toContain(`--seeds ${seeds.join(',')} --week-seed ${weekSeed}`);
    expect(aggregate.dependsOn).toEqual(
      expect.arrayContaining([`${week}-failure`, `${week}-evaluate`].filter((t) => t in project.targets)),
    );
    // The quick single-seed run never waits for a study.
    expect(project.targets[week]!.dependsOn!.some((t) => t.includes('-seed-') || t.includes('-study'))).toBe(false);
  }
});
