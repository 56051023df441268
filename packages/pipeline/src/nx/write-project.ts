import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { allPipelines } from '../pipelines.js';
import { allStudies } from '../studies.js';
import { pipelineProject, workspaceRootFromHere } from './targets.js';

/** Regenerates packages/pipeline/project.json from the DAG (`npm run gen:nx`). */
const root = workspaceRootFromHere();
const project = await pipelineProject(root, allPipelines, allStudies);
const file = join(root, 'packages', 'pipeline', 'project.json');
await writeFile(`${file}.tmp`, JSON.stringify(project, null, 2) + '\n');
await rename(`${file}.tmp`, file);
process.stdout.write(`wrote ${file} (${Object.keys(project.targets as object).length} targets)\n`);
