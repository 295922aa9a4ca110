import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { acquireFileLock } from './postgres/lock.ts';
import type { Release } from '../model/live.ts';

/**
 * The local lock of a remote target (a SCIM service, a GitHub organization):
 * one lock file per target under `lockDir`, named by a digest of the target,
 * so two applies to one target from this checkout wait for each other.
 */
export function lockTarget(lockDir: string | undefined, kind: 'scim' | 'github', target: string, timeoutMs: number, what: string): Promise<Release> {
  const name = createHash('sha256').update(target).digest('hex').slice(0, 16);
  return acquireFileLock(resolve(lockDir ?? '.roster', `${kind}-${name}.lock`), timeoutMs, what);
}
