import { resolve } from 'node:path';
import { loadDeclaration } from '../declaration/index.ts';
import type { Declaration } from '../model/declaration.ts';
import { InvalidInputError, UsageError } from '../errors.ts';
import { hasErrors } from '../model/problems.ts';
import type { EarlyRead } from '../providers/postgres/early-read.ts';
import type { PostgresConfig } from '../providers/postgres/index.ts';
import type { Provider } from '../model/live.ts';
import type { ProgressObserver } from '../model/progress.ts';
import { renderProblemsText } from '../render/problems.ts';
import type { Io } from './io.ts';
import { embeddedDataDir } from './store-location.ts';
import type { GlobalOptions } from './options.ts';

export type { GlobalOptions } from './options.ts';

// The store's modules load only when a command opens it: `roster validate` never does.
const postgres = () => import('../providers/postgres/index.ts');
const earlyReads = () => import('../providers/postgres/early-read.ts');

/** ISO 8601 as RFC 3339 profiles it: a date, or a date and time with its offset (a time without one would depend on the machine's zone). */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

export function parseNow(now: string | undefined): Date {
  if (now === undefined) return new Date();
  const m = ISO_INSTANT.exec(now);
  const d = new Date(now);
  // Date accepts "1" as the year 2001 and rolls 2026-02-31 over into March: the text must match and read back the same.
  if (!m || Number.isNaN(d.getTime()) || !sameCalendarDay(m, d, now)) throw new UsageError(`--now must be an ISO 8601 date (2026-11-23) or date and time with an offset (2026-11-23T12:00:00Z), got "${now}"`);
  return d;
}

/** The day the text names exists (no 2026-02-31): read back in the text's own offset. */
function sameCalendarDay(m: RegExpExecArray, d: Date, text: string): boolean {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(text);
  const shift = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const local = new Date(d.getTime() + shift * 60_000).toISOString();
  return local.slice(0, 10) === `${m[1]}-${m[2]}-${m[3]}` && (m[4] === undefined || local.slice(11, 16) === `${m[4]}:${m[5]}`);
}

import { parseDuration } from './durations.ts';

export { parseDuration };

/** Loads the declaration; on errors prints them all and throws (nothing has been touched yet). */
export function loadOrFail(opts: GlobalOptions, io: Io, now: Date, progress?: ProgressObserver): Declaration {
  const result = loadDeclaration(resolve(io.cwd, opts.dir), { now, cwd: io.cwd, ...(progress && { progress }) });
  if (hasErrors(result.problems) || !result.declaration) throw new InvalidInputError(result.problems);
  if (result.problems.length) io.err(renderProblemsText(result.problems, { color: io.color }) + '\n');
  return result.declaration;
}

/** How a command uses the postgres store: see PostgresConfig (`read` never creates or migrates). */
export type OpenAs = Pick<PostgresConfig, 'access' | 'missing'>;

/** The commands that only read: audit and history with --store. */
export const READ_ONLY: OpenAs = { access: 'read' };

/**
 * The live system of settings.provider, from environment variables: for
 * postgres a server when ROSTER_DATABASE_URL is set, else the embedded store.
 */
export async function openProvider(opts: GlobalOptions, io: Io, declaration?: Declaration, early?: EarlyRead, as: OpenAs = {}): Promise<Provider> {
  if (declaration && declaration.settings.provider !== 'postgres') {
    await (await earlyReads()).discardEarlyRead(early);
    return (await import('./http-providers.ts')).openHttpProvider(declaration, opts, io);
  }
  const url = io.env.ROSTER_DATABASE_URL;
  const { PostgresProvider } = await postgres();
  return PostgresProvider.open({
    ...(url ? { databaseUrl: url } : { dataDir: embeddedDataDir(opts, io) }),
    ...(io.env.ROSTER_DATABASE_SCHEMA && { schema: io.env.ROSTER_DATABASE_SCHEMA }),
    lockTimeoutMs: parseDuration(opts.lockTimeout),
    ...(early && { early }),
    ...as,
  });
}

/**
 * Loads the declaration while the embedded store, if that is where the live
 * state is and the declaration is big enough for it to pay, is read on
 * another thread (early-read.ts); the provider opened after takes over that
 * read. Invalid input still changes nothing: the early read only reads, and
 * the store is let go before the error is shown.
 */
export async function loadWhileReading(opts: GlobalOptions, io: Io, now: Date, progress?: ProgressObserver): Promise<{ declaration: Declaration; provider: Provider }> {
  // In CI without a named store there is no embedded store to read early; whether that is an error depends on the declaration's provider.
  const dataDir = io.env.ROSTER_DATABASE_URL ? undefined : tryOr(() => embeddedDataDir(opts, io));
  const { discardEarlyRead, earlyReadFor } = await earlyReads();
  const early = dataDir === undefined ? undefined : await earlyReadFor(resolve(io.cwd, opts.dir), dataDir);
  let declaration: Declaration;
  try {
    declaration = loadOrFail(opts, io, now, progress);
  } catch (e) {
    await discardEarlyRead(early);
    throw e;
  }
  // A plan only reads: a store not created yet reads as empty (a new user's first plan); a server's schema must exist.
  return { declaration, provider: await openProvider(opts, io, declaration, early, { access: 'read', missing: 'empty' }) };
}

function tryOr<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
