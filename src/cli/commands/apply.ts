import { runApply } from '../../engine/apply.ts';
import { ExitCode, PartialApplyError, UsageError } from '../../errors.ts';
import { isBlocked } from '../../plan/index.ts';
import type { Plan } from '../../model/plan.ts';
import { hasErrors } from '../../model/problems.ts';
import { renderApplyJson } from '../../render/apply.ts';
import { summaryLine } from '../../render/plan.ts';
import { showInvisible, showInvisibleLines } from '../../util/strings.ts';
import type { ProgressObserver } from '../../model/progress.ts';
import type { Io } from '../io.ts';
import { parseNow } from '../now.ts';
import type { GlobalOptions } from '../options.ts';
import { openProgress, type ProgressMode } from '../progress.ts';
import { printingObserver, runContext } from '../run-context.ts';
import { planOptions, renderPlan, type OverrideFlags } from './plan.ts';

/** Where the audit head was anchored: a result (stdout in text); a failure to anchor is a warning (stderr). */
function tellAnchored(lines: string[], say: (text: string) => void, io: Io): void {
  for (const line of lines) {
    if (line.startsWith('Warning:')) io.err(line + '\n');
    else say(line + '\n');
  }
}

type ApplyFlags = GlobalOptions & OverrideFlags & { yes?: boolean; format: string; github?: boolean; progress: ProgressMode; quiet?: boolean };

/** Shows the plan made under the lock and, unless told not to ask, asks: only "yes" applies. */
function confirmer(planFile: string | undefined, opts: ApplyFlags, io: Io): (fresh: Plan) => Promise<boolean> {
  // --format json: one document on stdout at the end (render/apply.ts); everything else goes to stderr.
  const json = opts.format === 'json';
  return async (fresh) => {
    // --quiet: the plan's one-line summary instead of every step (a first apply of a company is hundreds of steps).
    if (!json) io.out(opts.quiet && !hasErrors(fresh.problems) && !isBlocked(fresh) ? `${summaryLine(fresh)}\n` : renderPlan(fresh, opts.format, io));
    if (planFile || opts.yes || fresh.steps.length === 0 || isBlocked(fresh) || hasErrors(fresh.problems)) return true;
    if (!io.interactive)
      throw new UsageError('refusing to apply without confirmation: pass --yes, or apply a saved plan (roster plan --out plan.json; roster apply plan.json)');
    if (json || opts.quiet) io.err(renderPlan(fresh, 'text', io));
    const answer = await io.ask('\nDo you want to perform these actions? Only "yes" will be accepted: ');
    return answer.trim() === 'yes';
  };
}

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
  const json = opts.format === 'json';
  const say = (text: string) => (json ? io.err(text) : io.out(text));
  const observer = {
    ...printingObserver(io),
    progress,
    onSavedOverridesIgnored: (flags: string[]) =>
      io.err(
        `Note: ${planFile} was saved with ${flags.join(', ')}; a saved plan never grants an override: pass the flag to apply (or merge a pull request labelled for it and approved, see docs/overrides.md).\n`,
      ),
  };
  const { result, trail, cancelled, elapsedMs, anchored } = await runApply(
    runContext(opts, io),
    {
      now,
      ...(opts.now !== undefined && now.getTime() !== clock.getTime() && { plannedFor: now.toISOString() }),
      options: planOptions(opts),
      ...(planFile !== undefined && { planFile }),
      github: Boolean(opts.github),
      confirm: confirmer(planFile, opts, io),
      ...(io.applyObserver && { applyObserver: io.applyObserver }),
    },
    observer,
  );
  const recovery = result.recovery;
  // A note about an earlier run, not this run's result: stderr, in every format.
  if (recovery.recorded.length || recovery.notApplied.length)
    io.err(
      `An earlier apply was interrupted: ${recovery.recorded.length} change(s) it made are now in the audit trail (marked recovered), ${recovery.notApplied.length} it had not made.\n`,
    );
  if (cancelled) {
    io.err('Apply cancelled.\n');
    return ExitCode.error;
  }
  if (json) io.out(renderApplyJson(result));
  if (!result.ran) {
    tellAnchored(anchored, say, io);
    return ExitCode.ok;
  }
  const counts = { applied: 0, failed: 0, skipped: 0 };
  for (const o of result.outcomes) counts[o.result]++;
  const recorded = counts.applied + counts.failed;
  const written = result.events.length === recorded ? `trail in ${trail.shown}` : `${result.events.length} written to the trail ${trail.shown}`;
  if (!json)
    io.out(
      `\nApply complete: ${counts.applied} applied, ${counts.failed} failed, ${counts.skipped} skipped in ${(elapsedMs / 1000).toFixed(1)}s. Audit: ${recorded} event(s) recorded, ${written}.\n`,
    );
  tellAnchored(anchored, say, io);
  const failures = result.outcomes.filter((o) => o.result !== 'applied');
  if (failures.length) {
    for (const f of failures) io.err(`${f.result}: ${f.step.kind} ${showInvisible(f.step.key)}: ${showInvisibleLines(f.error ?? '')}\n`);
    throw new PartialApplyError(
      `${counts.failed} step(s) failed and ${counts.skipped} were skipped; the rest were applied. Fix the cause and run apply again.`,
    );
  }
  return ExitCode.ok;
}
