import { appendFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDeclaration } from '../../declaration/index.ts';
import { ApprovalRequiredError, ExitCode, UsageError } from '../../errors.ts';
import { describeMissing } from '../../plan/approvals.ts';
import type { ApprovalStatus } from '../../model/approvals.ts';
import { fitsComment, fitsSummary, planBody, planMarker, upsertComment, type PlanReport } from '../../github/comment.ts';
import { syncDriftIssue } from '../../github/drift.ts';
import { connect, githubEnvironment, type EventPullRequest, type GitHubEnvironment } from '../../github/environment.ts';
import { reviewedChange, ruleCommit, settingsAtCommit, twoPersonRule } from '../../github/pull-request.ts';
import type { GitHubApi } from '../../github/api.ts';
import type { Plan } from '../../model/plan.ts';
import { parseNow, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';
import { retryReporter } from '../retries.ts';
import { readSavedPlan } from '../saved-plan.ts';

interface GitHubOptions extends GlobalOptions {
  plan: string;
  artifactUrl?: string;
}

function pullRequestOf(env: GitHubEnvironment, command: string): EventPullRequest {
  if (!env.pullRequest) throw new UsageError(`roster github ${command} runs on pull_request and pull_request_review events; GITHUB_EVENT_PATH holds no pull request`);
  return env.pullRequest;
}

/** The two-person rule for a pull request's plan: the rule of the default branch, its reviews on GitHub. */
async function pullRequestApprovals(api: GitHubApi, env: GitHubEnvironment, pr: EventPullRequest, plan: Plan, opts: GlobalOptions, io: Io): Promise<ApprovalStatus | undefined> {
  const dir = resolve(io.cwd, opts.dir);
  const { declaration: d } = loadDeclaration(dir, { now: parseNow(opts.now), cwd: io.cwd });
  if (!d) return undefined;
  const change = await reviewedChange(api, pr, settingsAtCommit(dir, ruleCommit(dir, env, null, 'roster github approvals')));
  return twoPersonRule(plan, change, d);
}

function writeSummary(env: GitHubEnvironment, report: PlanReport): void {
  if (env.stepSummary) appendFileSync(env.stepSummary, planBody('', report, fitsSummary).trimStart() + '\n');
}

export async function githubComment(opts: GitHubOptions, io: Io): Promise<number> {
  const env = githubEnvironment(io.env);
  const pr = pullRequestOf(env, 'comment');
  const api = connect(env, retryReporter(io));
  const path = resolve(io.cwd, opts.plan);
  const saved = existsSync(path) ? readSavedPlan(path) : null;
  const plan = saved?.plan ?? null;
  const status = plan ? await pullRequestApprovals(api, env, pr, plan, opts, io) : undefined;
  const report: PlanReport = {
    plan,
    ...(saved?.pullRequest?.number === pr.number && { overrides: saved.pullRequest.overrides }),
    ...(status && { approvals: { status, pr } }),
    ...(pr.headSha && { commit: pr.headSha }),
    ...(env.runUrl && { runUrl: env.runUrl }),
    ...(opts.artifactUrl && { artifactUrl: opts.artifactUrl }),
  };
  const marker = planMarker(opts.dir);
  const worthSaying = !plan || plan.steps.length > 0 || plan.problems.length > 0 || plan.blocks.length > 0;
  const result = await upsertComment(api, pr.number, marker, planBody(marker, report, fitsComment), { create: worthSaying });
  writeSummary(env, report);
  io.out(result.action === 'skipped' ? `No plan comment on #${pr.number}: the plan has no changes.\n` : `Plan comment ${result.action} on #${pr.number}: ${result.url}\n`);
  return ExitCode.ok;
}

export async function githubApprovals(opts: GitHubOptions, io: Io): Promise<number> {
  const env = githubEnvironment(io.env);
  const pr = pullRequestOf(env, 'approvals');
  const path = resolve(io.cwd, opts.plan);
  if (!existsSync(path)) throw new UsageError(`no plan at ${opts.plan}: run roster plan --out ${opts.plan} first`);
  const plan = readSavedPlan(path).plan;
  const status = await pullRequestApprovals(connect(env, retryReporter(io)), env, pr, plan, opts, io);
  if (!status) throw new UsageError(`the declaration in ${opts.dir} is invalid: run roster validate`);
  if (status.needs.length === 0) io.out(`Two-person rule: no privileged change in pull request #${pr.number}.\n`);
  else if (!status.rule) io.out(`Two-person rule: ${status.needs.length} privileged change(s), but settings.approvals sets no rule.\n`);
  else if (status.satisfied) io.out(`Two-person rule: ${status.needs.length} privileged change(s) approved by ${status.approvedBy.join(', ')}.\n`);
  else {
    const missing = describeMissing(status, pr);
    throw new ApprovalRequiredError(`${missing.length} privileged change(s) in pull request #${pr.number} need approval (settings.approvals):\n${missing.map((m) => `  ${m}`).join('\n')}`, missing);
  }
  return ExitCode.ok;
}

export async function githubDrift(opts: GitHubOptions, io: Io): Promise<number> {
  const env = githubEnvironment(io.env);
  const plan = readSavedPlan(resolve(io.cwd, opts.plan)).plan;
  const report = { ...(env.sha && { commit: env.sha }), ...(env.runUrl && { runUrl: env.runUrl }), ...(opts.artifactUrl && { artifactUrl: opts.artifactUrl }) };
  const result = await syncDriftIssue(connect(env, retryReporter(io)), opts.dir, plan, report);
  writeSummary(env, { ...report, plan });
  io.out(result.action === 'none' ? 'No drift.\n' : `Drift issue #${result.issue.number} ${result.action}: ${result.issue.url}\n`);
  return ExitCode.ok;
}
