import { resolve } from 'node:path';

/** The HTTP providers' limits as the front end was given them, as text: the ROSTER_HTTP_* variables they override are text too. */
export interface HttpFlags {
  concurrency?: string;
  rps?: string;
  requestTimeout?: string;
}

/**
 * Where a run happens and what it was pointed at: the working dir and
 * environment, the declaration folder, the store and the trail as the
 * person named them (paths relative to `cwd`).
 */
export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The declaration folder. */
  dir: string;
  /** The embedded store's data dir (else ROSTER_DATA_DIR, else .roster/live at the project root). */
  dataDir?: string;
  /** The JSON-lines trail (else the store's own under .roster/). */
  auditLog?: string;
  /** How long to wait for another run's lock, read when a store is opened or locked: a run that touches none never reads it (nor fails on it). */
  lockTimeoutMs: () => number;
  http?: HttpFlags;
}

/** The declaration folder, absolute. */
export const declarationDir = (ctx: Pick<RunContext, 'cwd' | 'dir'>): string => resolve(ctx.cwd, ctx.dir);
