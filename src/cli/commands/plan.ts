import { ExitCode } from '../../errors.ts';
import { runPlan } from '../../engine/plan.ts';
import { writeSavedPlan } from '../../engine/saved-plan.ts';
import { isBlocked } from '../../plan/index.ts';
import type { Plan, PlanOptions } from '../../model/plan.ts';
import { hasErrors } from '../../model/problems.ts';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../render/plan.ts';
import { renderProblemsText } from '../../render/problems.ts';
import type { ProgressObserver } from '../../model/progress.ts';
import type { Io } from '../io.ts';
import { parseNow } from '../now.ts';
import type { GlobalOptions } from '../options.ts';
import { openProgress, type ProgressMode } from '../progress.ts';
import { printingObserver, runContext } from '../run-context.ts';

export interface OverrideFlags {
  allowDelete?: boolean;
  allowMassRemoval?: boolean;
  allowOwnerChange?: boolean;
}

export function planOptions(flags: OverrideFlags): PlanOptions {
  return { allowDelete: Boolean(flags.allowDelete), allowMassRemoval: Boolean(flags.allowMassRemoval), allowOwnerChange: Boolean(flags.allowOwnerChange) };
}

export function renderPlan(p: Plan, format: string, io: Io): string {
  if (format === 'json') return renderPlanJson(p);
  if (format === 'markdown') return renderPlanMarkdown(p);
  return renderPlanText(p, { color: io.color });
}

/** The plan command's own output: as text, its problems go to stderr (data on stdout, diagnostics on stderr, as validate does). */
function showPlan(p: Plan, format: string, io: Io): void {
  if (format !== 'text') return io.out(renderPlan(p, format, io));
  if (p.problems.length) io.err(renderProblemsText(p.problems, { color: io.color }) + '\n');
  io.out(renderPlanText(p, { color: io.color, withoutProblems: true }));
}

/** Exit code of a finished plan: errors 1, blocked 3, else 0 (or 2 with changes under --detailed-exitcode). */
export function planExitCode(p: Plan, detailed: boolean): number {
  if (hasErrors(p.problems)) return ExitCode.error;
  if (isBlocked(p)) return ExitCode.blocked;
  return detailed && p.steps.length > 0 ? ExitCode.changes : ExitCode.ok;
}

type PlanFlags = GlobalOptions & OverrideFlags & { format: string; out?: string; detailedExitcode?: boolean; github?: boolean; progress?: ProgressMode };

export async function plan(opts: PlanFlags, io: Io): Promise<number> {
  // Everything the run prints goes through the progress display's io, so none of it lands inside the live line.
  const progress = await openProgress(opts.progress ?? 'auto', io);
  try {
    return await planWith(opts, progress.io, progress);
  } finally {
    progress.close();
  }
}

async function planWith(opts: PlanFlags, io: Io, progress: ProgressObserver): Promise<number> {
  const ctx = runContext(opts, io);
  const made = await runPlan(ctx, { now: parseNow(opts.now), options: planOptions(opts), github: Boolean(opts.github) }, { ...printingObserver(io), progress });
  showPlan(made.plan, opts.format, io);
  if (opts.out) {
    writeSavedPlan(ctx, opts.out, made);
    io.err(`Saved the plan to ${opts.out}. Apply exactly these steps with: roster apply ${opts.out}\n`);
  }
  return planExitCode(made.plan, Boolean(opts.detailedExitcode));
}
