import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { tempTree } from './tree.ts';

/**
 * A declaration's first apply to a new embedded store, made once per test
 * file: the working dir's .roster folder (store and trail) is kept as it
 * was right after, and a later test starting from the same files gets a
 * copy instead of applying them again (an initdb and every step: ~25 s of
 * a loaded core). `key` names everything the apply depended on.
 */
export function firstApplyOnce(): (key: string, cwd: string, apply: () => Promise<void>) => Promise<void> {
  const kept = new Map<string, string>();
  return async (key, cwd, apply) => {
    const copy = kept.get(key);
    if (copy) return cpSync(copy, join(cwd, '.roster'), { recursive: true });
    await apply();
    const keep = join(tempTree(), '.roster');
    cpSync(join(cwd, '.roster'), keep, { recursive: true });
    kept.set(key, keep);
  };
}
