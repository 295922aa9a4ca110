import type { Actor } from '../model/audit.ts';
import { ConfigError } from '../errors.ts';
import type { Declaration } from '../model/declaration.ts';
import { approvalRule, DeclarationAtCommits, guardSettings } from '../history/fragments.ts';
import { GitRepository } from '../git/repository.ts';
import { GUARD_KEYS, withDefaults } from '../plan/settings-in-force.ts';
import type { ApprovalRule, JudgedBy, Plan } from '../model/plan.ts';
import { formatLocation } from '../model/problems.ts';
import type { GitHubApi, PullRequest } from './api.ts';
import { approvingReviewers, evaluateApprovals, privilegedSteps, ruleInForce } from '../plan/approvals.ts';
import type { ApprovalStatus, NeedsApproval, Review } from '../model/approvals.ts';
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
  /** settings.guards on the base commit (absent keys: the defaults). */
  baseGuards: NonNullable<JudgedBy['baseGuards']>;
}

export async function reviewedChange(api: GitHubApi, pr: ReviewedChange['pr'], base: BaseSettings): Promise<ReviewedChange> {
  return { pr, reviews: pr ? await collect(api.listReviews(pr.number)) : [], baseRule: base.rule, baseGuards: base.guards };
}

/** The actor of every audit event of the run, with the pull request, its author and its approving reviewers. */
export function withPullRequest(actor: Actor, change: ReviewedChange): Actor {
  if (!change.pr) return actor;
  const approvers = approvingReviewers(change.reviews);
  return { ...actor, pr: change.pr.number, prTitle: change.pr.title, prAuthor: change.pr.author, ...(approvers.length && { approvers }) };
}

/**
 * The two-person rule for a plan: its privileged steps, any change to the
 * rule itself, and any change to settings.guards against the base commit
 * that the plan does not carry as a step of its own (SCIM and GitHub record
 * no settings, so there the change is nowhere but in git).
 */
export function twoPersonRule(plan: Plan, change: ReviewedChange, d: Declaration): ApprovalStatus {
  const source = formatLocation(d.settingsAt) || 'settings';
  const { rule, change: ruleChange } = ruleInForce(change.baseRule, d.settings.approvals.privileged, source);
  const guardChange = guardChanges(change.baseGuards, d, source).filter((n) => !plan.steps.some((s) => s.key === n.key));
  return evaluateApprovals([...privilegedSteps(plan.steps), ...ruleChange, ...guardChange], rule, change.pr, change.reviews);
}

/** Each guard the declaration sets otherwise than the base commit: it decides what is guarded or privileged, so changing it is privileged. */
export function guardChanges(baseGuards: ReviewedChange['baseGuards'], d: Declaration, source: string): NeedsApproval[] {
  const base = withDefaults(baseGuards);
  return GUARD_KEYS.filter((k) => base[k] !== d.settings.guards[k]).map((k) => ({
    kind: 'settings.update',
    key: `settings:guards.${k}`,
    why: `changes guards.${k} from ${base[k]} to ${d.settings.guards[k]}, which decides what is guarded or privileged`,
    source,
  }));
}

/** What a `--github` run reads from the base commit: the rule and the guards in force. */
export interface BaseSettings {
  rule: ApprovalRule | null;
  guards: ReviewedChange['baseGuards'];
}

/**
 * settings.approvals and settings.guards as they were on the base commit,
 * read from git: a pull request is judged by the rules it started from. The
 * commit must be in the clone (actions/checkout with fetch-depth: 0). No
 * base commit at all is refused: the rules in force would then be the ones
 * the change itself declares.
 */
export function settingsAtCommit(dir: string, rev: string | null | undefined): BaseSettings {
  if (!rev) {
    throw new ConfigError(
      'cannot tell the base commit of this run (no pull request base, push "before" or parent commit): roster --github judges a change by the approvals rule and guard settings of its base commit and will not run without them; apply the first commit without --github',
    );
  }
  const repo = GitRepository.find(dir);
  if (!repo) throw new ConfigError(`${dir} is not in a git repository, so the approvals rule and guard settings of the base commit cannot be read`);
  const sha = repo.resolve(rev);
  if (!sha)
    throw new ConfigError(
      `the base commit ${rev} is not in this clone; check out with fetch-depth: 0 so roster can read the approvals rule and guard settings in force`,
    );
  const snapshot = new DeclarationAtCommits(repo, repo.pathOf(dir)).snapshot(sha);
  return { rule: approvalRule(snapshot), guards: guardSettings(snapshot) };
}

/** The first parent of a commit, or null for a root commit. */
export function parentOf(dir: string, sha: string): string | null {
  return GitRepository.find(dir)?.resolve(`${sha}^`) ?? null;
}

/** The default branch's tip in the clone (actions/checkout with fetch-depth: 0 fetches every branch). */
export function defaultBranchCommit(dir: string, branch: string): string {
  const repo = GitRepository.find(dir);
  const sha = repo?.resolve(`refs/remotes/origin/${branch}`) ?? repo?.resolve(`refs/heads/${branch}`) ?? null;
  if (!sha)
    throw new ConfigError(`the default branch ${branch} is not in this clone; check out with fetch-depth: 0 so roster can read the approvals rule in force`);
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
