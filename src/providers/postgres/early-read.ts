import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isFragmentName } from '../../util/strings.ts';
import { runWorker, sibling } from '../../util/worker.ts';
import type { Release } from '../../model/live.ts';
import { acquireFileLock } from './lock.ts';
import type { LiveTables } from './read.ts';

/**
 * The embedded store, read on a worker thread while the declaration loads on
 * the main one: PGlite's start and its queries are WebAssembly that would
 * otherwise wait for the parse (the two share the cores; the plan is still
 * about a second shorter at 100,000 users, docs/design-notes.md). The
 * store's lock is taken first and held until the provider that takes this
 * over is closed (or `discard` is called), so nothing can change it between
 * this read and the plan.
 */
export interface EarlyRead {
  dataDir: string;
  /** The tables, or undefined when the store needs migrating or could not be read here (the provider then opens it the usual way). */
  tables: Promise<LiveTables | undefined>;
  release: Release;
}

/**
 * Below about this much YAML, starting a worker thread (~0.3 s with its
 * TypeScript loader) costs more than the load it would overlap: measured at
 * 1,000 users (0.3 MB) the plan took 1.18 s reading early against 0.93 s
 * without, at 10,000 (3 MB) 1.35 s against 1.86 s (`npm run bench`).
 */
export const EARLY_READ_MIN_BYTES = 1024 * 1024;

/** Whether a declaration is big enough for an early read to pay (a listing, not a read: sizes only). */
export function worthReadingEarly(declarationDir: string): boolean {
  let bytes = 0;
  try {
    for (const entry of readdirSync(declarationDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && isFragmentName(entry.name)) bytes += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
      if (bytes >= EARLY_READ_MIN_BYTES) return true;
    }
  } catch {
    // No such folder: the load will say so.
  }
  return false;
}

/** Starts the read; undefined when there is no store yet or another run holds it. */
export async function startEarlyRead(dataDir: string): Promise<EarlyRead | undefined> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) return undefined;
  let release: Release;
  try {
    release = await acquireFileLock(`${dataDir}.lock`, 0, `the store ${dataDir}`);
  } catch {
    return undefined;
  }
  const tables = runWorker<LiveTables>(sibling('read-worker', import.meta.url), { dataDir });
  return { dataDir, tables, release };
}

/** What `roster plan` (and the benchmark) start: an early read when the declaration is big enough for it to pay. */
export async function earlyReadFor(declarationDir: string, dataDir: string): Promise<EarlyRead | undefined> {
  return worthReadingEarly(declarationDir) ? startEarlyRead(dataDir) : undefined;
}

/** For a run that will not plan after all (invalid input, another provider): waits for the worker, then lets the store go. */
export async function discardEarlyRead(early: EarlyRead | undefined): Promise<void> {
  if (!early) return;
  await early.tables;
  await early.release();
}
