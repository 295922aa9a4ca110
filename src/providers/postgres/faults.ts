import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileFault, LockedError, ProviderError, RosterError, StoreFaultError } from '../../errors.ts';
import type { SqlClient } from './sql.ts';

/**
 * What roster tells apart among the store's errors. A step's own failure (a
 * constraint, a value the column refuses) fails that step; anything about
 * the store itself (full, read-only, locked, gone) ends the run, since every
 * later step would meet it too.
 */
export interface StoreErrorContext {
  /** The store, as shown to people: `the embedded store at DIR`, or the server's redacted URL. */
  store: string;
  /** --lock-timeout in milliseconds, to say how long roster waited. */
  lockTimeoutMs: number;
  /** Removes anything secret (a password) from a message. */
  scrub?: (message: string) => string;
}

const CONNECTION_LOST =
  /Connection terminated|connection (?:is )?closed|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|Client has encountered a connection error|not queryable/i;

/** A store error as roster's own: typed by PostgreSQL's SQLSTATE (or errno), with the fix named. */
export function classifyStoreError(e: unknown, { store, lockTimeoutMs, scrub = (m) => m }: StoreErrorContext): Error {
  if (e instanceof RosterError) return e;
  const file = fileFault(e);
  if (file) return file;
  const code = String((e as { code?: unknown })?.code ?? '');
  const message = scrub(e instanceof Error ? e.message : String((e as { message?: unknown } | null)?.message ?? e));
  const applied = 'steps applied before this stay applied and audited';
  if (code === '55P03') {
    return new LockedError(
      `${store}: a table or row roster needs stayed locked by another session for longer than --lock-timeout (${lockTimeoutMs} ms): ${message}; ${applied}. Wait for that session or pass a longer --lock-timeout, then run again`,
    );
  }
  if (code === '53100' || /No space left on device/i.test(message)) {
    return new StoreFaultError(`${store}: the disk is full (${message}); free space on that disk, then run again; ${applied}`);
  }
  if (/Read-only file system/i.test(message) || code === '25006') {
    return new StoreFaultError(`${store} is read-only (${message}); make it writable, then run again; ${applied}`);
  }
  if (code === '42501') {
    return new StoreFaultError(`${store}: permission denied (${message}); give roster's user (or database role) write access, then run again; ${applied}`);
  }
  if (code === '57014') {
    return new StoreFaultError(
      `${store}: a statement ran longer than roster allows and was cancelled (${message}); ${applied}. Check the server's load, then run again`,
    );
  }
  if (/^(08|57P|53|58|XX)/.test(code) || CONNECTION_LOST.test(message)) {
    // The bare reason rides along as the cause: a store that never answered is reported as one that cannot be opened.
    return new StoreFaultError(`${store}: the connection to the store was lost or the store failed (${message}); ${applied}. Run again once it is back`, {
      cause: message,
    });
  }
  return new ProviderError(message);
}

/** The same client, its errors classified (classifyStoreError). */
export function guardedClient(sql: SqlClient, context: StoreErrorContext): SqlClient {
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      throw classifyStoreError(e, context);
    }
  };
  return {
    query: (text, params) => guard(() => sql.query(text, params)),
    exec: (text) => guard(() => sql.exec(text)),
    // The transaction's own client is guarded too; an error already classified passes through unchanged.
    transaction: (fn) => guard(() => sql.transaction((tx) => fn(guardedClient(tx, context)))),
    copyOut: (query) => guard(() => sql.copyOut(query)),
  };
}

/**
 * Free space the embedded store needs before it writes: a new WAL segment
 * (16 MB) and a chunk's data. PGlite does not end cleanly when its disk
 * fills under PostgreSQL's WAL or a multi-block extension: the WebAssembly
 * spins or the instance never starts again. Refusing before the write keeps
 * the store whole.
 */
export const MIN_FREE_BYTES = 32 * 1024 * 1024;

/** Bytes available to this user on the file system holding `path`. */
export const freeBytesAt = (path: string): number => {
  const s = statfsSync(path);
  return Number(s.bavail) * Number(s.bsize);
};

/**
 * Throws a StoreFaultError naming the path and the fix when the data dir
 * cannot be written (read-only, forbidden) or its disk is (nearly) full:
 * PGlite writes as it starts, and fails without saying why.
 */
export function checkWritable(dataDir: string, freeBytes: (path: string) => number = freeBytesAt, minFreeBytes = MIN_FREE_BYTES): void {
  let free: number;
  try {
    // A data dir not created yet: the disk of its parent (created by now) is where it will be.
    const at = existsSync(dataDir) ? dataDir : dirname(dataDir);
    accessSync(at, constants.W_OK);
    free = freeBytes(at);
  } catch (e) {
    throw fileFault(e, dataDir) ?? new StoreFaultError(`cannot check the free space under ${dataDir}: ${(e as Error).message}`);
  }
  if (free < minFreeBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    throw new StoreFaultError(
      `the disk holding the embedded store ${dataDir} is full: ${mb(free)} free, roster needs ${mb(minFreeBytes)} to write safely; free space on that disk (or move the store with --data-dir), then run again. Nothing was written`,
    );
  }
}
