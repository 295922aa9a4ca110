import { resolve } from 'node:path';
import { applyPlan, syncAuditLog } from '../../apply/index.ts';
import { currentActor, currentCommit, treeIsDirty } from '../../audit/actor.ts';
import { lastTrailEvent } from '../../audit/file.ts';
import { readAnchors } from '../../history/notes.ts';
import { ExitCode, PartialApplyError, UsageError } from '../../errors.ts';
import { isBlocked, plan as makePlan } from '../../plan/index.ts';
import { hasErrors } from '../../model/problems.ts';
import { loadOrFail, openProvider, parseDuration, parseNow, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';
import type { OverrideGrants, Plan } from '../../model/plan.ts';
import type { GitHubApplyContext } from '../../github/ci-apply.ts';
import type { PlanOptions } from '../../model/plan.ts';
import type { ProgressObserver } from '../../model/progress.ts';
import { openProgress, type ProgressMode } from '../progress.ts';
import { readSavedPlan } from '../saved-plan.ts';
import { retryReporter } from '../retries.ts';
import { checkTrailBeforeApply, gitDirOf, publishHead, trailOf } from './audit-trail.ts';
import { OVERRIDE_OPTIONS, planOptions, renderPlan, type OverrideFlags, type SavedPlan } from './plan.ts';
import { renderApplyJson } from '../../render/apply.ts';
import { summaryLine } from '../../render/plan.ts';
import { showInvisible, showInvisibleLines } from '../../util/strings.ts';

/**
 * The overrides of this run: the command line's flags and, with --github,
 * the labels of the approved pull request. Never a saved plan's: it is a
 * file anyone holding the artifact could edit.
 */
function overridesOf(flags: OverrideFlags, github: GitHubApplyContext | undefined, io: Io): { options: PlanOptions; grants: OverrideGrants } {
  for (const r of github?.overrides ?? []) {
    if (!r.granted) io.err(`Note: pull request #${github!.change.pr!.number} asks for ${r.flag} (label ${r.label}), which does not take effect: ${r.why}.\n`);
  }
  const cli = planOptions(flags);
  const options = { ...cli };
  for (const [option] of OVERRIDE_OPTIONS) options[option] ||= github?.granted.options[option] === true;
  // The command line's own flags win the record: they were given for this run.
  const grants: OverrideGrants = { ...github?.granted.grants };
  for (const [option, flag] of OVERRIDE_OPTIONS) if (cli[option]) grants[flag] = { from: 'command-line' };
  return { options, grants };
}

/** The override flags a saved plan was made with that this apply does not grant: said, never used. */
function ungrantedSavedOverrides(saved: SavedPlan | undefined, granted: PlanOptions): string[] {
  if (!saved?.options) return [];
  return OVERRIDE_OPTIONS.filter(([option]) => saved.options[option] === true && !granted[option]).map(([, flag]) => flag);
}

/** Where the audit head was anchored: a result (stdout in text); a failure to anchor is a warning (stderr). */
function tellAnchored(lines: string[], say: (text: string) => void, io: Io): void {
  for (const line of lines) {
    if (line.startsWith('Warning:')) io.err(line + '\n');
    else say(line + '\n');
  }
}

type ApplyFlags = GlobalOptions & OverrideFlags & { yes?: boolean; format: string; github?: boolean; progress: ProgressMode; quiet?: boolean };

export async function apply(planFile: string | undefined, opts: ApplyFlags, io: Io): Promise<number> {
  // Everything the run prints goes through the progress display's io, so none of it lands inside the live line.
  const progress = await openProgress(opts.progress, io, opts.quiet);
  try {
    return await applyWith(planFile, opts, progress.io, progress);
  } finally {
    progress.close();
  }
}

async function applyWith(planFile: string | undefined, opts: ApplyFlags, io: Io, progress: ProgressObserver): Promise<number> {
  const clock = new Date();
  const now = parseNow(opts.now);
  const saved = planFile ? readSavedPlan(resolve(io.cwd, planFile)) : undefined;
  const declaration = loadOrFail(opts, io, now, progress);
  const provider = await openProvider(opts, io, declaration);
  try {
    const dir = resolve(io.cwd, opts.dir);
    const trail = await trailOf(opts, io, provider);
    const commit = saved?.commit ?? currentCommit(dir);
    // A plan saved from an edited tree stays dirty; so does one applied from an edited tree.
    const dirty = saved?.dirty === true || treeIsDirty(dir);
    const actor = currentActor(dir, io.env);
    // In GitHub Actions: the pull request behind the pushed commit is recorded, and the two-person rule enforced.
    const github = opts.github
      ? await (await import('../../github/ci-apply.ts')).githubApplyContext({ env: io.env, dir, declaration, storeTarget: provider.describe().target, actor, commit, onRetry: retryReporter(io) })
      : undefined;
    const { options, grants } = overridesOf(opts, github, io);
    const unused = ungrantedSavedOverrides(saved, options);
    if (unused.length) {
      io.err(`Note: ${planFile} was saved with ${unused.join(', ')}; a saved plan never grants an override: pass the flag to apply (or merge a pull request labelled for it and approved, see docs/overrides.md).\n`);
    }
    // --format json: one document on stdout at the end (render/apply.ts); everything else goes to stderr.
    const json = opts.format === 'json';
    const say = (text: string) => (json ? io.err(text) : io.out(text));
    const started = Date.now();
    let cancelled = false;
    const result = await applyPlan(provider, {
      replan: (live) => makePlan(declaration, live, now, options, github?.judgedBy),
      ...(saved && { expected: saved.plan }),
      confirm: async (fresh) => {
        // Under the apply lock, so another run's write in progress is never taken for a torn line.
        await checkTrailBeforeApply(trail, provider, readAnchors(gitDirOf(opts, io)) ?? []);
        // --quiet: the plan's one-line summary instead of every step (a first apply of a company is hundreds of steps).
        if (!json) io.out(opts.quiet && !hasErrors(fresh.problems) && !isBlocked(fresh) ? `${summaryLine(fresh)}\n` : renderPlan(fresh, opts.format, io));
        if (saved || opts.yes || fresh.steps.length === 0 || isBlocked(fresh) || hasErrors(fresh.problems)) return true;
        if (!io.interactive) throw new UsageError('refusing to apply without confirmation: pass --yes, or apply a saved plan (roster plan --out plan.json; roster apply plan.json)');
        if (json || opts.quiet) io.err(renderPlan(fresh, 'text', io));
        const answer = await io.ask('\nDo you want to perform these actions? Only "yes" will be accepted: ');
        cancelled = answer.trim() !== 'yes';
        return !cancelled;
      },
      ...(github && { authorize: (p: Plan) => github.authorize(p) }),
      actor: github?.actor ?? actor,
      commit,
      dirty,
      overrideGrants: grants,
      ...(opts.now !== undefined && now.getTime() !== clock.getTime() && { plannedFor: now.toISOString() }),
      lockTimeoutMs: parseDuration(opts.lockTimeout),
      auditLog: trail.path,
      store: trail.store,
      progress,
      observer: io.applyObserver,
    });
    const recovery = result.recovery;
    // A note about an earlier run, not this run's result: stderr, in every format.
    if (recovery.recorded.length || recovery.notApplied.length) io.err(`An earlier apply was interrupted: ${recovery.recorded.length} change(s) it made are now in the audit trail (marked recovered), ${recovery.notApplied.length} it had not made.\n`);
    if (cancelled) {
      io.err('Apply cancelled.\n');
      return ExitCode.error;
    }
    // The file catches up with the store even when nothing ran (a run that stopped before writing it).
    const caughtUp = provider.auditStore && !result.ran ? (await syncAuditLog(provider.auditStore, trail.path)).length : 0;
    const head = lastTrailEvent(trail.path);
    const anchored = head && (result.ran || caughtUp > 0) ? publishHead(head, trail, commit, opts, io) : [];
    if (json) io.out(renderApplyJson(result));
    if (!result.ran) {
      tellAnchored(anchored, say, io);
      return ExitCode.ok;
    }
    const counts = { applied: 0, failed: 0, skipped: 0 };
    for (const o of result.outcomes) counts[o.result]++;
    const recorded = counts.applied + counts.failed;
    const written = result.events.length === recorded ? `trail in ${trail.shown}` : `${result.events.length} written to the trail ${trail.shown}`;
    if (!json) io.out(`\nApply complete: ${counts.applied} applied, ${counts.failed} failed, ${counts.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)}s. Audit: ${recorded} event(s) recorded, ${written}.\n`);
    tellAnchored(anchored, say, io);
    const failures = result.outcomes.filter((o) => o.result !== 'applied');
    if (failures.length) {
      for (const f of failures) io.err(`${f.result}: ${f.step.kind} ${showInvisible(f.step.key)}: ${showInvisibleLines(f.error ?? '')}\n`);
      throw new PartialApplyError(`${counts.failed} step(s) failed and ${counts.skipped} were skipped; the rest were applied. Fix the cause and run apply again.`);
    }
    return ExitCode.ok;
  } finally {
    await provider.close();
  }
}
