import { Worker } from 'node:worker_threads';

/**
 * A module beside `from` (an import.meta.url) with `from`'s own extension:
 * `.ts` when roster runs from its sources, `.js` from the build (dist/).
 */
export function sibling(name: string, from: string): URL {
  return new URL(`./${name}${from.endsWith('.js') ? '.js' : '.ts'}`, from);
}

/**
 * Runs a TypeScript module on a worker thread; `data` reaches it as
 * `workerData`. Resolves with the last message it posted once the thread
 * has exited (so whatever it held is let go), or undefined if it failed.
 */
export function runWorker<T>(entry: URL, data: Record<string, unknown>): Promise<T | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { ...data, entry: entry.href } });
    let posted: T | undefined;
    worker.on('message', (message: T) => (posted = message));
    // A thread that throws exits with code 1 after this event; without a listener the error would be thrown here.
    worker.once('error', () => undefined);
    worker.once('exit', (code) => resolve(code === 0 ? posted : undefined));
  });
}
