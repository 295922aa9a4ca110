import { loadDeclaration } from '../declaration/index.ts';
import { InvalidInputError } from '../errors.ts';
import type { Declaration } from '../model/declaration.ts';
import type { LiveState, Provider } from '../model/live.ts';
import { hasErrors } from '../model/problems.ts';
import type { ProgressObserver } from '../model/progress.ts';
import type { EarlyRead } from '../providers/postgres/early-read.ts';
import { declarationDir, type RunContext } from './context.ts';
import { embeddedDataDir, rosterDir } from './location.ts';
import type { RunObserver } from './observer.ts';
import { entryFor, POSTGRES_EMBEDDED, type OpenOptions } from './registry.ts';

/** The declaration, or an InvalidInputError carrying every problem (nothing has been touched); warnings go to the observer. */
export function loadForRun(ctx: Pick<RunContext, 'cwd' | 'dir'>, now: Date, observer: RunObserver = {}): Declaration {
  const result = loadDeclaration(declarationDir(ctx), { now, cwd: ctx.cwd, ...(observer.progress && { progress: observer.progress }) });
  if (hasErrors(result.problems) || !result.declaration) throw new InvalidInputError(result.problems);
  if (result.problems.length) observer.onWarnings?.(result.problems);
  return result.declaration;
}

// The early read loads only when a command reads a store: `roster validate` never does.
const earlyReads = () => import('../providers/postgres/early-read.ts');

/** How a run uses a postgres store: see PostgresConfig (`read` never creates or migrates). */
export type OpenAs = Pick<OpenOptions, 'access' | 'missing'>;

/** The runs that only read a store that must exist: audit and history with --store, export. */
export const READ_ONLY: OpenAs = { access: 'read' };

/**
 * The live system of settings.provider (postgres when there is no
 * declaration to say), opened through the registry: for postgres a server
 * when ROSTER_DATABASE_URL is set, else the embedded store (location.ts).
 */
export async function openLive(
  ctx: RunContext,
  how: { declaration?: Declaration; early?: EarlyRead; observer?: RunObserver } & OpenAs = {},
): Promise<Provider> {
  const { declaration, early, observer, ...as } = how;
  if (declaration && declaration.settings.provider !== 'postgres') {
    await (await earlyReads()).discardEarlyRead(early);
    return entryFor(declaration.settings.provider, ctx.env).open(ctx.env, { declaration, lockDir: rosterDir(ctx), http: ctx.http, observer });
  }
  const entry = entryFor('postgres', ctx.env);
  const dataDir = entry === POSTGRES_EMBEDDED ? embeddedDataDir(ctx) : undefined;
  return entry.open(ctx.env, { dataDir, lockTimeoutMs: ctx.lockTimeoutMs(), early, ...as });
}

/**
 * Loads the declaration while the embedded store, if that is where the live
 * state is and the declaration is big enough for it to pay, is read on
 * another thread (early-read.ts); the provider opened after takes over that
 * read. Invalid input still changes nothing: the early read only reads, and
 * the store is let go before the error is raised.
 */
export async function loadWhileReading(ctx: RunContext, now: Date, observer: RunObserver = {}): Promise<{ declaration: Declaration; provider: Provider }> {
  // In CI without a named store there is no embedded store to read early; whether that is an error depends on the declaration's provider.
  const dataDir = ctx.env.ROSTER_DATABASE_URL ? undefined : tryOr(() => embeddedDataDir(ctx));
  const { discardEarlyRead, earlyReadFor } = await earlyReads();
  const early = dataDir === undefined ? undefined : await earlyReadFor(declarationDir(ctx), dataDir);
  let declaration: Declaration;
  try {
    declaration = loadForRun(ctx, now, observer);
  } catch (e) {
    await discardEarlyRead(early);
    throw e;
  }
  // A plan only reads: a store not created yet reads as empty (a new user's first plan); a server's schema must exist.
  return { declaration, provider: await openLive(ctx, { declaration, early, observer, access: 'read', missing: 'empty' }) };
}

/** The live state, shown as a stage of the run's progress. */
export async function readLive(provider: Provider, progress?: ProgressObserver): Promise<LiveState> {
  progress?.start('read');
  const live = await provider.read();
  progress?.end('read');
  return live;
}

/** Runs `use` with the provider, closing it after, whatever happens. */
export async function using<T>(provider: Provider, use: (provider: Provider) => Promise<T>): Promise<T> {
  try {
    return await use(provider);
  } finally {
    await provider.close();
  }
}

function tryOr<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
