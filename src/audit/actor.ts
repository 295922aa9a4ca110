import { configuredUserName, hasUncommittedChanges, headCommit, lastCommitAuthor } from '../git/repository.ts';
import type { Actor } from '../model/audit.ts';

/** The commit the declaration was read from, if it is in a git repository. */
export function currentCommit(dir: string): string | null {
  return headCommit(dir);
}

/**
 * Whether the declaration folder differs from its commit (edited, or a
 * fragment not yet added): then the commit alone is not what was applied.
 */
export function treeIsDirty(dir: string): boolean {
  return hasUncommittedChanges(dir);
}

/**
 * Who is applying: ROSTER_ACTOR (CI sets it), else the git user; the author of
 * the declaration's last commit; the pull request when CI provides it.
 */
export function currentActor(dir: string, env: NodeJS.ProcessEnv = process.env): Actor {
  const configured = configuredUserName(dir);
  const actor: Actor = { name: env.ROSTER_ACTOR || env.GITHUB_ACTOR || configured || env.USER || 'unknown' };
  const author = lastCommitAuthor(dir);
  if (author) actor.gitAuthor = author;
  const pr = Number.parseInt(env.ROSTER_PR ?? '', 10);
  if (Number.isInteger(pr) && pr > 0) actor.pr = pr;
  if (env.ROSTER_PR_TITLE) actor.prTitle = env.ROSTER_PR_TITLE;
  if (env.ROSTER_APPROVERS)
    actor.approvers = env.ROSTER_APPROVERS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return actor;
}
