import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { allPipelines } from '../pipelines.js';
import { allStudies } from '../studies.js';
import { GENERATED_PROJECTS_DIR, generatedProjects, workspaceRootFromHere } from './targets.js';

/**
 * Regenerates the Nx projects from the DAG (`npm run gen:nx`): packages/pipeline/project.json and
 * one project per study seed and per study under GENERATED_PROJECTS_DIR, whose folders of seeds no
 * longer configured are removed.
 */
const root = workspaceRootFromHere();
const projects = await generatedProjects(root, allPipelines, allStudies);
for (const { file, project } of projects) {
  const path = join(root, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(project, null, 2) + '\n');
  await rename(`${path}.tmp`, path);
  process.stdout.write(`wrote ${file} (${Object.keys(project.targets).length} targets)\n`);
}
const kept = new Set(projects.map((p) => p.file.split('/').at(-2)));
const existing = await readdir(join(root, GENERATED_PROJECTS_DIR)).catch(() => [] as string[]);
for (const folder of existing.filter((f) => !kept.has(f))) {
  await rm(join(root, GENERATED_PROJECTS_DIR, folder), { recursive: true, force: true });
  process.stdout.write(`removed ${GENERATED_PROJECTS_DIR}/${folder} (no longer configured)\n`);
}
