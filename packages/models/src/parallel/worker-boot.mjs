// Source-mode worker bootstrap (monorepo only): registers tsx so the TypeScript worker entry and
// the workspace sources it imports load; built packages start dist/parallel/lenet-worker.js.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
