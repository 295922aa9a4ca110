import { resolve } from 'node:path';
import { applyPlan, syncAuditLog } from '../apply/index.ts';
import type { ApplyObserver } from '../apply/observer.ts';
import type { ApplyResult } from '../model/apply.ts';
import { currentActor, currentCommit, treeIsDirty } from '../audit/actor.ts';
import { lastTrailEvent } from '../audit/file.ts';
import type { GitHubApplyContext } from '../github/ci-apply.ts';
import { readAnchors } from '../history/notes.ts';
import type { Plan, PlanOptions } from '../model/plan.ts';
import { plan as makePlan } from '../plan/index.ts';
import { declarationDir, type RunContext } from './context.ts';
import type { RunObserver } from './observer.ts';
import { grantsOf, tellRefused, ungrantedSavedOverrides, withGranted } from './overrides.ts';
import { readSavedPlan } from './saved-plan.ts';
import { loadForRun, openLive, using } from './stores.ts';
import { checkTrailBeforeApply, gitDirOf, publishHead, trailOf, type Trail } from './trail.ts';

export interface ApplyRunInput {
  now: Date;
  /** The --now the plan is made for, when it is not the clock: every event records it. */
  plannedFor?: string;
  /** The overrides the front end grants (the command line's flags). */
  options: PlanOptions;
  /** A saved plan (`plan --out`) to apply exactly: the apply refuses if the live state now gives another. */
  planFile?: string;
  /** In GitHub Actions: record the pushed commit's pull request and enforce settings.approvals. */
  github?: boolean;
  /**
   * Shown the plan made under the lock, after the trail is checked; false
   * cancels (the person said no). Holding the lock while asking keeps what
   * they confirm exactly what runs.
   */
  confirm: (plan: Plan) => Promise<boolean>;
  /** Told of each point of the write-ahead protocol as it passes (src/apply/observer.ts); the crash tests stop there. */
  applyObserver?: ApplyObserver;
}

export interface ApplyRun {
  result: ApplyResult;
  trail: Trail;
  /** confirm() said no: nothing ran, nothing was published. */
  cancelled: boolean;
  /** From the start of the apply proper (the lock) to the audit head published. */
  elapsedMs: number;
  /** What to tell of the audit head published (publishHead); lines starting `Warning:` are warnings. */
  anchored: string[];
}

/**
 * `roster apply`: load, open the store for writing, find its trail, the
 * pull request (with `github`) and the overrides in force; then under the
 * lock re-read, re-plan, check the trail and confirm (src/apply), and after
 * it publish the trail's new head.
 */
export async function runApply(ctx: RunContext, input: ApplyRunInput, observer: RunObserver = {}): Promise<ApplyRun> {
  const saved = input.planFile ? readSavedPlan(resolve(ctx.cwd, input.planFile)) : undefined;
  const declaration = loadForRun(ctx, input.now, observer);
  return using(await openLive(ctx, { declaration, observer }), async (provider) => {
    const dir = declarationDir(ctx);
    const trail = await trailOf(ctx, provider);
    const commit = saved?.commit ?? currentCommit(dir);
    // A plan saved from an edited tree stays dirty; so does one applied from an edited tree.
    const dirty = saved?.dirty === true || treeIsDirty(dir);
    const actor = currentActor(dir, ctx.env);
    // In GitHub Actions: the pull request behind the pushed commit is recorded, and the two-person rule enforced.
    const github: GitHubApplyContext | undefined = input.github
      ? await (
          await import('../github/ci-apply.ts')
        ).githubApplyContext({
          env: ctx.env,
          dir,
          declaration,
          storeTarget: provider.describe().target,
          actor,
          commit,
          onRetry: (e) => observer.onGitHubRetry?.(e),
        })
      : undefined;
    // Never a saved plan's overrides: it is a file anyone holding the artifact could edit.
    if (github) tellRefused({ pr: github.change.pr?.number ?? null, requests: github.overrides }, observer);
    const options = withGranted(input.options, github?.granted.options);
    const unused = ungrantedSavedOverrides(saved, options);
    if (unused.length) observer.onSavedOverridesIgnored?.(unused);
    const started = Date.now();
    let cancelled = false;
    const result = await applyPlan(provider, {
      replan: (live) => makePlan(declaration, live, input.now, options, github?.judgedBy),
      ...(saved && { expected: saved.plan }),
      confirm: async (fresh) => {
        // Under the apply lock, so another run's write in progress is never taken for a torn line.
        await checkTrailBeforeApply(trail, provider, readAnchors(gitDirOf(ctx)) ?? []);
        cancelled = !(await input.confirm(fresh));
        return !cancelled;
      },
      ...(github && { authorize: (p: Plan) => github.authorize(p) }),
      actor: github?.actor ?? actor,
      commit,
      dirty,
      overrideGrants: grantsOf(input.options, github?.granted.grants),
      ...(input.plannedFor !== undefined && { plannedFor: input.plannedFor }),
      lockTimeoutMs: ctx.lockTimeoutMs(),
      auditLog: trail.path,
      store: trail.store,
      ...(observer.progress && { progress: observer.progress }),
      ...(input.applyObserver && { observer: input.applyObserver }),
    });
    if (cancelled) return { result, trail, cancelled, elapsedMs: Date.now() - started, anchored: [] };
    // The file catches up with the store even when nothing ran (a run that stopped before writing it).
    const caughtUp = provider.auditStore && !result.ran ? (await syncAuditLog(provider.auditStore, trail.path)).length : 0;
    const head = lastTrailEvent(trail.path);
    const anchored = head && (result.ran || caughtUp > 0) ? publishHead(head, trail, commit, ctx) : [];
    return { result, trail, cancelled, elapsedMs: Date.now() - started, anchored };
  });
}
