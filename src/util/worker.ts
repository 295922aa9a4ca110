import { Worker } from 'node:worker_threads';

/**
 * Runs a TypeScript module on a worker thread; `data` reaches it as
 * `workerData`. Resolves with the last message it posted once the thread
 * has exited (so whatever it held is let go), or undefined if it failed.
 */
export function runWorker<T>(entry: URL, data: Record<string, unknown>): Promise<T | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { ...data, entry: entry.href } });
    let posted: T | undefined;
    let failed = false;
    worker.on('message', (message: T) => (posted = message));
    worker.once('error', () => (failed = true));
    worker.once('exit', (code) => resolve(failed || code !== 0 ? undefined : posted));
  });
}
