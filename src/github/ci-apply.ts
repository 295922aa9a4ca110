import type { Actor } from '../model/audit.ts';
import type { Declaration } from '../model/declaration.ts';
import { ApprovalRequiredError, ConfigError } from '../errors.ts';
import type { OverrideGrants } from '../model/plan.ts';
import type { JudgedBy, Plan, PlanOptions } from '../model/plan.ts';
import { describeMissing } from '../plan/approvals.ts';
import type { RetryEvent } from '../http/github.ts';
import { connect, githubEnvironment } from './environment.ts';
import { grantedOverrides, pullRequestOverrides, type OverrideRequest } from './overrides.ts';
import {
  pullRequestOfCommit,
  requireDefaultBranch,
  ruleCommit,
  reviewedChange,
  settingsAtCommit,
  twoPersonRule,
  withPullRequest,
  type ReviewedChange,
} from './pull-request.ts';

export interface GitHubApplyContext {
  change: ReviewedChange;
  /** The run's actor with the pull request, its author and approvers: goes into every audit event. */
  actor: Actor;
  /** Overrides the pull request asks for by label, each saying whether it counts (docs/overrides.md). */
  overrides: OverrideRequest[];
  /** The ones that count, as plan options and as what the events record. */
  granted: { options: Partial<PlanOptions>; grants: OverrideGrants };
  /** What the plan is judged by: the base commit's guard settings. */
  judgedBy: JudgedBy;
  /** Refuses (ApprovalRequiredError) a plan whose privileged steps lack the approvals settings.approvals requires. */
  authorize(plan: Plan): void;
}

/**
 * `roster apply --github`, on a push to the default branch: finds the pull
 * request the pushed commit came from (GET /repos/{o}/{r}/commits/{sha}/pulls),
 * reads its reviews, and the approvals rule and guard settings of the
 * commit before the push.
 */
export async function githubApplyContext(input: {
  env: NodeJS.ProcessEnv;
  dir: string;
  declaration: Declaration;
  storeTarget: string;
  actor: Actor;
  commit: string | null;
  onRetry?: (event: RetryEvent) => void;
}): Promise<GitHubApplyContext> {
  if (input.env.GITHUB_ACTIONS === 'true' && input.storeTarget.startsWith('pglite')) {
    throw new ConfigError(
      'in GitHub Actions the embedded store lives in the job and is lost when it ends; set ROSTER_DATABASE_URL (a repository secret) to the platform database',
    );
  }
  const env = githubEnvironment(input.env);
  requireDefaultBranch(env, 'roster apply --github');
  const sha = env.sha ?? input.commit;
  if (!sha) throw new ConfigError('GITHUB_SHA is not set and the declaration is not in a git repository: cannot tell which pull request is being applied');
  const api = connect(env, input.onRetry);
  const pr = await pullRequestOfCommit(api, sha);
  const base = ruleCommit(input.dir, env, sha, 'roster apply --github');
  const change = await reviewedChange(api, pr, settingsAtCommit(input.dir, base));
  // Judged by the base branch's rule only: a pull request cannot name the approvers of its own override.
  const overrides = change.pr ? await pullRequestOverrides(api, change.pr, change.baseRule, change.reviews) : [];
  const { declaration: d } = input;
  return {
    change,
    judgedBy: { baseGuards: change.baseGuards },
    overrides,
    granted: change.pr ? grantedOverrides(overrides, change.pr.number) : { options: {}, grants: {} },
    actor: withPullRequest(input.actor, change),
    authorize(plan) {
      const status = twoPersonRule(plan, change, d);
      const missing = describeMissing(status, change.pr);
      if (missing.length) {
        throw new ApprovalRequiredError(
          `refusing to apply: ${missing.length} privileged change(s) lack the approval settings.approvals requires; nothing was changed:\n${missing.map((m) => `  ${m}`).join('\n')}`,
          missing,
        );
      }
    },
  };
}
