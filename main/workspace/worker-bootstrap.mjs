// Runs a TypeScript worker entry from a source checkout: registers tsx in this thread, then loads the entry.
// The electron-vite bundle starts its compiled worker directly and never uses this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
