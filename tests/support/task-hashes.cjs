// Prints the Nx task hashes of the pipeline project's `targets` (argv) and of every task they
// depend on, as JSON { taskId: hash }, computed exactly as `nx run` computes them (the same
// native hasher, the same inputs, this process's environment), without running anything.
// Nx 24 internals: deep paths, so this file is the one place to adjust on an Nx upgrade.
// CommonJS on purpose: Nx's internals are CommonJS modules without export maps for these paths.
/* eslint-disable @typescript-eslint/no-require-imports */
const { createProjectGraphAsync } = require('nx/src/devkit-exports');
const { readNxJson } = require('nx/src/config/nx-json');
const { createTaskGraph } = require('nx/src/tasks-runner/create-task-graph');
const { createTaskHasher } = require('nx/src/hasher/create-task-hasher');
const { hashTasks } = require('nx/src/hasher/hash-task');

(async () => {
  const graph = await createProjectGraphAsync({ exitOnError: true });
  const taskGraph = createTaskGraph(graph, {}, ['pipeline'], process.argv.slice(2), undefined, {});
  const tasks = Object.values(taskGraph.tasks);
  await hashTasks(createTaskHasher(graph, readNxJson()), graph, taskGraph, Object.fromEntries(tasks.map((t) => [t.id, process.env])), null);
  process.stdout.write(`${JSON.stringify(Object.fromEntries(tasks.map((t) => [t.id, t.hash])))}\n`);
})().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
