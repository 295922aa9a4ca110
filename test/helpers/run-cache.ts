import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder for this run only, made by test/helpers/run-cache-setup.ts and removed when the run ends. */
    rosterRunCache?: string;
  }
}

/**
 * Bytes that every test file needing them would otherwise make again (a
 * PGlite data dir costs ~5 s of CPU to initdb): made by the first test file
 * of the run that asks, and read by the others. The folder lives for one
 * run, so nothing made by older code is ever read. Two files asking at once
 * both make it; each writes its own file and renames it into place whole.
 * Outside a vitest run with the setup, it is made each time.
 */
export async function oncePerRun(name: string, make: () => Promise<Uint8Array<ArrayBuffer>>): Promise<Uint8Array<ArrayBuffer>> {
  const dir = inject('rosterRunCache');
  if (!dir) return make();
  const file = join(dir, name);
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const bytes = await make();
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  return bytes;
}
