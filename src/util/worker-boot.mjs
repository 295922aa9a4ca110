// A worker thread starts without its parent's TypeScript loader: from the
// sources (a .ts entry) register it, then run the entry; the build (a .js
// entry under dist/) needs none.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) (await import('tsx/esm/api')).register();
await import(workerData.entry);
