import { connect, collect, githubEnvironment } from './environment.ts';
import { grantedOverrides, pullRequestOverrides, type OverrideRequest } from './overrides.ts';
import { parentOf, pullRequestOfCommit, settingsAtCommit, type BaseSettings } from './pull-request.ts';
import type { OverrideGrants } from '../apply/overrides.ts';
import type { PlanOptions } from '../plan/types.ts';

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
 * is the event's and the base its base commit; on a push, the pushed
 * commit's merged pull request and the commit before the push. The base
 * commit's guard settings judge the plan too (settings-in-force.ts).
 */
export async function pullRequestOverridesOfRun(input: { env: NodeJS.ProcessEnv; dir: string; commit: string | null }): Promise<PullRequestOverrides> {
  const env = githubEnvironment(input.env);
  const api = connect(env);
  const sha = env.sha ?? input.commit;
  const baseSha = env.pullRequest ? env.pullRequest.baseSha : (env.before ?? (sha ? parentOf(input.dir, sha) : null));
  const base = settingsAtCommit(input.dir, baseSha);
  const pr = env.pullRequest ?? (sha ? await pullRequestOfCommit(api, sha) : null);
  if (!pr) return { pr: null, base, requests: [], granted: { options: {}, grants: {} } };
  const requests = await pullRequestOverrides(api, pr, base.rule, await collect(api.listReviews(pr.number)));
  return { pr: pr.number, base, requests, granted: grantedOverrides(requests, pr.number) };
}
