import { currentCommit } from '../audit/actor.ts';
import type { PullRequestOverrides } from '../github/ci-plan.ts';
import type { Plan, PlanOptions } from '../model/plan.ts';
import { plan as makePlan } from '../plan/index.ts';
import { declarationDir, type RunContext } from './context.ts';
import type { RunObserver } from './observer.ts';
import { tellRefused, withGranted } from './overrides.ts';
import { loadWhileReading, readLive, using } from './stores.ts';

export interface PlanRunInput {
  now: Date;
  /** The overrides the front end grants (the command line's flags). */
  options: PlanOptions;
  /** In GitHub Actions: also the overrides the pull request asks for by label, when approved. */
  github?: boolean;
}

export interface PlanRun {
  plan: Plan;
  /** The overrides the plan was made with. */
  options: PlanOptions;
  /** With `github`: what the pull request asked for and what counts. */
  pullRequest?: PullRequestOverrides;
}

/**
 * `roster plan`: the declaration loaded while the live state is read, the
 * pull request's overrides when asked, and the plan. Read-only: no lock,
 * nothing written; a store not created yet reads as empty.
 */
export async function runPlan(ctx: RunContext, input: PlanRunInput, observer: RunObserver = {}): Promise<PlanRun> {
  const { declaration, provider } = await loadWhileReading(ctx, input.now, observer);
  return using(provider, async () => {
    let options = input.options;
    let pullRequest: PullRequestOverrides | undefined;
    if (input.github) {
      const dir = declarationDir(ctx);
      const { pullRequestOverridesOfRun } = await import('../github/ci-plan.ts');
      pullRequest = await pullRequestOverridesOfRun({ env: ctx.env, dir, commit: currentCommit(dir), onRetry: (e) => observer.onGitHubRetry?.(e) });
      tellRefused(pullRequest, observer);
      options = withGranted(options, pullRequest.granted.options);
    }
    const plan = makePlan(declaration, await readLive(provider, observer.progress), input.now, options, pullRequest && { baseGuards: pullRequest.base.guards });
    return { plan, options, ...(pullRequest && { pullRequest }) };
  });
}
