import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { allPipelines } from '../packages/pipeline/src/pipelines.js';
import { pipelineProject, workspaceRootFromHere } from '../packages/pipeline/src/nx/targets.js';

// The DAG in TypeScript is the source of truth; project.json is derived from it. A stale file
// would give Nx wrong inputs (a poisoned cache), so it must match exactly.
test('packages/pipeline/project.json is what `npm run gen:nx` generates from the DAG', async () => {
  const root = workspaceRootFromHere();
  const committed = JSON.parse(readFileSync(join(root, 'packages/pipeline/project.json'), 'utf8')) as unknown;
  expect(committed, 'run `npm run gen:nx` and commit packages/pipeline/project.json').toEqual(await pipelineProject(root, allPipelines));
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
