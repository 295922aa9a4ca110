import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockedError } from '../../errors.ts';
import type { Release } from '../../model/live.ts';
import type { SqlClient } from './sql.ts';

const POLL_MS = 100;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates the lock file with our pid already in it, or returns false if it
 * exists. The pid goes into a file of our own first, which is then linked to
 * the lock's name (a link fails if the name exists): a contender never sees
 * the lock file empty, as it could between an exclusive create and its write.
 */
function createHoldingPid(path: string): boolean {
  const own = `${path}.${process.pid}`;
  writeFileSync(own, `${process.pid}\n`);
  try {
    linkSync(own, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  } finally {
    unlinkSync(own);
  }
}

/**
 * An exclusive lock file holding the owner's pid, like postmaster.pid. PGlite
 * has no lock of its own and two processes on one data dir diverge, so roster
 * takes this before opening the data dir. A lock whose process is gone (killed
 * half-way) is taken over at once rather than after a staleness timeout.
 */
export async function acquireFileLock(path: string, timeoutMs: number, what: string): Promise<Release> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (createHoldingPid(path)) {
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
    } catch {
      continue; // released between our attempts
    }
    // A lock without a pid can only be left by a run killed before the link above existed: as stale as a dead pid.
    if (!Number.isInteger(holder) || !alive(holder)) {
      // Take over atomically: only one contender's rename wins; the loser retries the exclusive create.
      const stale = `${path}.stale.${process.pid}`;
      try {
        renameSync(path, stale);
        const check = Number.parseInt(readFileSync(stale, 'utf8'), 10);
        // Someone took it over between our read and our rename: their lock goes back (unless yet another run holds the name).
        if (!Object.is(check, holder)) linkSync(stale, path);
      } catch {
        // someone else took it over first
      }
      try {
        unlinkSync(stale);
      } catch {
        // not ours to remove
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockedError(`${what} is locked by another roster run (pid ${holder}); wait for it, or pass --lock-timeout`);
    }
    await sleep(POLL_MS);
  }
}

/** A session-level advisory lock on a dedicated connection, released when that connection ends. */
export async function acquireAdvisoryLock(
  connect: () => Promise<{ sql: SqlClient; end: () => Promise<void> }>,
  key: string,
  timeoutMs: number,
): Promise<Release> {
  const { sql, end } = await connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const { rows } = await sql.query<{ locked: boolean }>(`select pg_try_advisory_lock(hashtext($1)) as locked`, [key]);
      if (rows[0]?.locked) break;
      if (Date.now() >= deadline) throw new LockedError(`the PostgreSQL store is locked by another roster apply; wait for it, or pass --lock-timeout`);
      await sleep(POLL_MS * 5);
    }
  } catch (e) {
    await end();
    throw e;
  }
  return async () => {
    await sql.query(`select pg_advisory_unlock(hashtext($1))`, [key]).catch(() => undefined);
    await end();
  };
}
