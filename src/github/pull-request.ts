import type { Actor } from '../audit/types.ts';
import { ConfigError } from '../errors.ts';
import { approvalRule, DeclarationAtCommits } from '../history/fragments.ts';
import { GitRepository } from '../git/repository.ts';
import type { Plan } from '../plan/types.ts';
import type { GitHubApi, PullRequest, Review } from './api.ts';
import { approvingReviewers, evaluateApprovals, privilegedSteps, ruleInForce, type ApprovalRule, type ApprovalStatus } from './approvals.ts';
import { collect, type GitHubEnvironment } from './environment.ts';

/** The pull request a commit on the default branch came from: the merged one whose merge commit it is, else any merged one. */
export async function pullRequestOfCommit(api: GitHubApi, sha: string): Promise<PullRequest | null> {
  const prs = (await api.pullRequestsForCommit(sha)).filter((p) => p.merged);
  return prs.find((p) => p.mergeCommitSha === sha) ?? prs[0] ?? null;
}

/** A pull request, its reviews, and what they mean for the audit trail and the two-person rule. */
export interface ReviewedChange {
  pr: Pick<PullRequest, 'number' | 'title' | 'author' | 'headSha'> | null;
  reviews: Review[];
  /** settings.approvals on the base commit (null when it had none). */
  baseRule: ApprovalRule | null;
}

export async function reviewedChange(api: GitHubApi, pr: ReviewedChange['pr'], baseRule: ApprovalRule | null): Promise<ReviewedChange> {
  return { pr, reviews: pr ? await collect(api.listReviews(pr.number)) : [], baseRule };
}

/** The actor of every audit event of the run, with the pull request, its author and its approving reviewers. */
export function withPullRequest(actor: Actor, change: ReviewedChange): Actor {
  if (!change.pr) return actor;
  const approvers = approvingReviewers(change.reviews);
  return { ...actor, pr: change.pr.number, prTitle: change.pr.title, prAuthor: change.pr.author, ...(approvers.length && { approvers }) };
}

/** The two-person rule for a plan: its privileged steps (and any change to the rule itself) against the reviews. */
export function twoPersonRule(plan: Plan, change: ReviewedChange, headRule: ApprovalRule | null, settingsSource: string): ApprovalStatus {
  const { rule, change: ruleChange } = ruleInForce(change.baseRule, headRule, settingsSource);
  return evaluateApprovals([...privilegedSteps(plan.steps), ...ruleChange], rule, change.pr, change.reviews);
}

/**
 * settings.approvals as it was on the base commit, read from git: the rule a
 * pull request is judged by is the one it started from. The commit must be
 * in the clone (actions/checkout with fetch-depth: 0).
 */
export function approvalRuleAtCommit(dir: string, rev: string): ApprovalRule | null {
  const repo = GitRepository.find(dir);
  if (!repo) throw new ConfigError(`${dir} is not in a git repository, so the approvals rule of the base commit cannot be read`);
  const sha = repo.resolve(rev);
  if (!sha) throw new ConfigError(`the base commit ${rev} is not in this clone; check out with fetch-depth: 0 so roster can read the approvals rule in force`);
  return approvalRule(new DeclarationAtCommits(repo, repo.pathOf(dir)).snapshot(sha));
}

/** The first parent of a commit, or null for a root commit. */
export function parentOf(dir: string, sha: string): string | null {
  return GitRepository.find(dir)?.resolve(`${sha}^`) ?? null;
}

/** The default branch's tip in the clone (actions/checkout with fetch-depth: 0 fetches every branch). */
export function defaultBranchCommit(dir: string, branch: string): string {
  const repo = GitRepository.find(dir);
  const sha = repo?.resolve(`refs/remotes/origin/${branch}`) ?? repo?.resolve(`refs/heads/${branch}`) ?? null;
  if (!sha) throw new ConfigError(`the default branch ${branch} is not in this clone; check out with fetch-depth: 0 so roster can read the approvals rule in force`);
  return sha;
}

/** Refuses a run for a ref other than the default branch: only the default branch is applied, and only its rule is in force. */
export function requireDefaultBranch(env: GitHubEnvironment, command: string): void {
  if (env.ref && env.defaultBranch && env.ref !== `refs/heads/${env.defaultBranch}`) {
    throw new ConfigError(`${command} runs on the default branch (${env.defaultBranch}) only; this run is for ${env.ref}`);
  }
}

/**
 * The commit whose settings.approvals is in force for this run. A pull
 * request is judged by the default branch as it is now (not by its own
 * base, which may be another branch or stale); a push to the default branch
 * by the branch before the push (the pushed commit carries the change being
 * judged); a run by hand on it by the first parent of the commit.
 */
export function ruleCommit(dir: string, env: GitHubEnvironment, sha: string | null, command: string): string | null {
  if (env.pullRequest) return env.defaultBranch ? defaultBranchCommit(dir, env.defaultBranch) : env.pullRequest.baseSha || null;
  requireDefaultBranch(env, command);
  return env.before ?? (sha ? parentOf(dir, sha) : null);
}
