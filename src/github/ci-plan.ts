import type { RetryEvent } from '../http/github.ts';
import { connect, collect, githubEnvironment } from './environment.ts';
import { grantedOverrides, pullRequestOverrides, type OverrideRequest } from './overrides.ts';
import { pullRequestOfCommit, ruleCommit, settingsAtCommit, type BaseSettings } from './pull-request.ts';
import type { OverrideGrants } from '../model/plan.ts';
import type { PlanOptions } from '../model/plan.ts';

export interface PullRequestOverrides {
  pr: number | null;
  /** The approvals rule and guard settings of the base commit: the plan is judged by them. */
  base: BaseSettings;
  requests: OverrideRequest[];
  granted: { options: Partial<PlanOptions>; grants: OverrideGrants };
}

/**
 * `roster plan --github`: the overrides the pull request asks for, judged as
 * apply --github will judge them. On a pull_request event the pull request
 * is the event's; on a push, the pushed commit's merged pull request. The
 * approvals rule and guard settings come from the default branch (ruleCommit);
 * the base's guard settings judge the plan too (settings-in-force.ts).
 */
export async function pullRequestOverridesOfRun(input: {
  env: NodeJS.ProcessEnv;
  dir: string;
  commit: string | null;
  onRetry?: (event: RetryEvent) => void;
}): Promise<PullRequestOverrides> {
  const env = githubEnvironment(input.env);
  const api = connect(env, input.onRetry);
  const sha = env.sha ?? input.commit;
  const base = settingsAtCommit(input.dir, ruleCommit(input.dir, env, sha, 'roster plan --github'));
  const pr = env.pullRequest ?? (sha ? await pullRequestOfCommit(api, sha) : null);
  if (!pr) return { pr: null, base, requests: [], granted: { options: {}, grants: {} } };
  const requests = await pullRequestOverrides(api, pr, base.rule, await collect(api.listReviews(pr.number)));
  return { pr: pr.number, base, requests, granted: grantedOverrides(requests, pr.number) };
}
