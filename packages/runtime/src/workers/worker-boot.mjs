// Node-only, source mode (monorepo only): registers tsx so the TypeScript thread entry and the
// workspace sources it imports load; built packages start dist/workers/worker-thread.js.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
