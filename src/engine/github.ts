import { appendFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDeclaration } from '../declaration/index.ts';
import { ApprovalRequiredError, UsageError } from '../errors.ts';
import type { GitHubApi } from '../github/api.ts';
import type { ApprovalStatus } from '../model/approvals.ts';
import { describeMissing } from '../plan/approvals.ts';
import { fitsComment, fitsSummary, planBody, planMarker, upsertComment, type PlanReport, type UpsertResult } from '../github/comment.ts';
import { syncDriftIssue, type DriftResult } from '../github/drift.ts';
import { connect, githubEnvironment, type EventPullRequest, type GitHubEnvironment } from '../github/environment.ts';
import { reviewedChange, ruleCommit, settingsAtCommit, twoPersonRule } from '../github/pull-request.ts';
import type { Plan } from '../model/plan.ts';
import { declarationDir, type RunContext } from './context.ts';
import type { RunObserver } from './observer.ts';
import { readSavedPlan } from './saved-plan.ts';

/*
 * The pull-request commands of GitHub Actions (GITHUB_TOKEN,
 * GITHUB_REPOSITORY, GITHUB_EVENT_PATH): they work from a saved plan, never
 * from the live system.
 */

export interface SavedPlanInput {
  /** The saved plan (`roster plan --out FILE`). */
  plan: string;
  /** Where the workflow keeps the full plan. */
  artifactUrl?: string;
  /** The instant the declaration is loaded for, read only when it is. */
  now: () => Date;
}

function pullRequestOf(env: GitHubEnvironment, command: string): EventPullRequest {
  if (!env.pullRequest)
    throw new UsageError(`roster github ${command} runs on pull_request and pull_request_review events; GITHUB_EVENT_PATH holds no pull request`);
  return env.pullRequest;
}

const apiOf = (env: GitHubEnvironment, observer: RunObserver): GitHubApi => connect(env, (e) => observer.onGitHubRetry?.(e));

/** The two-person rule for a pull request's plan: the rule of the default branch, its reviews on GitHub; undefined when the declaration is invalid. */
async function pullRequestApprovals(
  api: GitHubApi,
  env: GitHubEnvironment,
  pr: EventPullRequest,
  plan: Plan,
  ctx: RunContext,
  now: () => Date,
): Promise<ApprovalStatus | undefined> {
  const dir = declarationDir(ctx);
  const { declaration: d } = loadDeclaration(dir, { now: now(), cwd: ctx.cwd });
  if (!d) return undefined;
  const change = await reviewedChange(api, pr, settingsAtCommit(dir, ruleCommit(dir, env, null, 'roster github approvals')));
  return twoPersonRule(plan, change, d);
}

function writeSummary(env: GitHubEnvironment, report: PlanReport): void {
  if (env.stepSummary) appendFileSync(env.stepSummary, planBody('', report, fitsSummary).trimStart() + '\n');
}

/**
 * `roster github comment`: the plan as one sticky pull request comment,
 * updated in place (created only when there is something to say), and as
 * the job summary; no plan file says the plan failed.
 */
export async function commentPlan(ctx: RunContext, input: SavedPlanInput, observer: RunObserver = {}): Promise<{ pr: number; result: UpsertResult }> {
  const env = githubEnvironment(ctx.env);
  const pr = pullRequestOf(env, 'comment');
  const api = apiOf(env, observer);
  const path = resolve(ctx.cwd, input.plan);
  const saved = existsSync(path) ? readSavedPlan(path) : null;
  const plan = saved?.plan ?? null;
  const status = plan ? await pullRequestApprovals(api, env, pr, plan, ctx, input.now) : undefined;
  const report: PlanReport = {
    plan,
    ...(saved?.pullRequest?.number === pr.number && { overrides: saved.pullRequest.overrides }),
    ...(status && { approvals: { status, pr } }),
    ...(pr.headSha && { commit: pr.headSha }),
    ...(env.runUrl && { runUrl: env.runUrl }),
    ...(input.artifactUrl && { artifactUrl: input.artifactUrl }),
  };
  const marker = planMarker(ctx.dir);
  const worthSaying = !plan || plan.steps.length > 0 || plan.problems.length > 0 || plan.blocks.length > 0;
  const result = await upsertComment(api, pr.number, marker, planBody(marker, report, fitsComment), { create: worthSaying });
  writeSummary(env, report);
  return { pr: pr.number, result };
}

/** `roster github approvals`: the two-person rule against the pull request's reviews; an ApprovalRequiredError while approval is missing. */
export async function checkApprovals(ctx: RunContext, input: SavedPlanInput, observer: RunObserver = {}): Promise<{ pr: number; status: ApprovalStatus }> {
  const env = githubEnvironment(ctx.env);
  const pr = pullRequestOf(env, 'approvals');
  const path = resolve(ctx.cwd, input.plan);
  if (!existsSync(path)) throw new UsageError(`no plan at ${input.plan}: run roster plan --out ${input.plan} first`);
  const plan = readSavedPlan(path).plan;
  const status = await pullRequestApprovals(apiOf(env, observer), env, pr, plan, ctx, input.now);
  if (!status) throw new UsageError(`the declaration in ${ctx.dir} is invalid: run roster validate`);
  if (status.needs.length > 0 && status.rule && !status.satisfied) {
    const missing = describeMissing(status, pr);
    throw new ApprovalRequiredError(
      `${missing.length} privileged change(s) in pull request #${pr.number} need approval (settings.approvals):\n${missing.map((m) => `  ${m}`).join('\n')}`,
      missing,
    );
  }
  return { pr: pr.number, status };
}

/** `roster github drift`: opens, updates or closes the drift issue from a scheduled plan, and writes the job summary. */
export async function syncDrift(ctx: RunContext, input: Omit<SavedPlanInput, 'now'>, observer: RunObserver = {}): Promise<DriftResult> {
  const env = githubEnvironment(ctx.env);
  const plan = readSavedPlan(resolve(ctx.cwd, input.plan)).plan;
  const report = {
    ...(env.sha && { commit: env.sha }),
    ...(env.runUrl && { runUrl: env.runUrl }),
    ...(input.artifactUrl && { artifactUrl: input.artifactUrl }),
  };
  const result = await syncDriftIssue(apiOf(env, observer), ctx.dir, plan, report);
  writeSummary(env, { ...report, plan });
  return result;
}
