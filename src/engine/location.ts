import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import type { RunContext } from './context.ts';

/**
 * Where roster keeps its own files (.roster/: the embedded store, the audit
 * trail, lock files): next to the repository that holds the declaration,
 * found as git finds `.git` (walking up from the declaration folder), so a
 * run from a subfolder uses the same store as one from the top; outside a
 * repository, next to the declaration folder. Never the working directory:
 * `cd users && roster plan -d .` once created a second, empty store.
 */
export function projectRoot(declarationDir: string): string {
  for (let dir = declarationDir; ;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(declarationDir);
    dir = up;
  }
}

type Located = Pick<RunContext, 'cwd' | 'dir'>;

/** The .roster folder of the declaration at `ctx.dir`. */
export const rosterDir = (ctx: Located): string => join(projectRoot(resolve(ctx.cwd, ctx.dir)), '.roster');

/** The default trail, and how to show it (relative to the working dir). */
export function defaultTrail(ctx: Located, name = 'audit.jsonl'): { path: string; shown: string } {
  const path = join(rosterDir(ctx), name);
  return { path, shown: relative(ctx.cwd, path) || path };
}

/** An environment flag such as CI: set, and not spelled as off. */
const flagSet = (value: string | undefined) => value !== undefined && value !== '' && !/^(false|0|no)$/i.test(value);

export const inCi = (env: NodeJS.ProcessEnv): boolean => flagSet(env.CI) || flagSet(env.GITHUB_ACTIONS);

/**
 * The embedded store's data dir: --data-dir or ROSTER_DATA_DIR (relative to
 * the working dir, as paths typed by a person are), else .roster/live at the
 * project root. In CI the default is refused: a job without
 * ROSTER_DATABASE_URL (a plan job not given the environment holding it)
 * would plan against an empty store and call everything new.
 */
export function embeddedDataDir(ctx: Pick<RunContext, 'cwd' | 'dir' | 'dataDir' | 'env'>): string {
  const asked = ctx.dataDir ?? (ctx.env.ROSTER_DATA_DIR || undefined);
  if (asked !== undefined) return resolve(ctx.cwd, asked);
  if (inCi(ctx.env)) {
    const by = flagSet(ctx.env.GITHUB_ACTIONS) ? 'GITHUB_ACTIONS' : 'CI';
    throw new ConfigError(
      `refusing the embedded store in CI (${by} is set) without ROSTER_DATABASE_URL: a job without the live database would plan against an empty store. ` +
        'Set ROSTER_DATABASE_URL (and ROSTER_DATABASE_SCHEMA) from the secrets of the job, or, if this job really means the embedded store, name it with --data-dir DIR or ROSTER_DATA_DIR=DIR',
    );
  }
  return join(rosterDir(ctx), 'live');
}
