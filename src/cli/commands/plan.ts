import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { currentCommit, treeIsDirty } from '../../audit/actor.ts';
import { ExitCode, InvalidInputError } from '../../errors.ts';
import { isBlocked, plan as makePlan } from '../../plan/index.ts';
import type { PullRequestOverrides } from '../../github/ci-plan.ts';
import type { OverrideRequest } from '../../github/overrides.ts';
import type { OverrideFlag, Plan, PlanOptions } from '../../model/plan.ts';
import { hasErrors } from '../../model/problems.ts';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../render/plan.ts';
import { renderProblemsText } from '../../render/problems.ts';
import { loadWhileReading, parseNow, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';
import { retryReporter } from '../retries.ts';
import { openProgress, reading, type ProgressMode } from '../progress.ts';
import type { ProgressObserver } from '../../model/progress.ts';

export interface OverrideFlags {
  allowDelete?: boolean;
  allowMassRemoval?: boolean;
  allowOwnerChange?: boolean;
}

/** Each override option and the flag that grants it. */
export const OVERRIDE_OPTIONS: [keyof PlanOptions, OverrideFlag][] = [
  ['allowDelete', '--allow-delete'],
  ['allowMassRemoval', '--allow-mass-removal'],
  ['allowOwnerChange', '--allow-owner-change'],
];

export function planOptions(flags: OverrideFlags): PlanOptions {
  return { allowDelete: Boolean(flags.allowDelete), allowMassRemoval: Boolean(flags.allowMassRemoval), allowOwnerChange: Boolean(flags.allowOwnerChange) };
}

/** A plan written by `plan --out`, applied by `apply FILE`. */
export interface SavedPlan {
  kind: 'roster-plan';
  formatVersion: 1;
  commit: string | null;
  /** The declaration folder had uncommitted changes when the plan was made. */
  dirty?: true;
  /** The overrides the plan was made with (what was asked for; apply grants its own). */
  options: PlanOptions;
  /** With --github: the overrides the pull request asks for by label, and whether each counts. */
  pullRequest?: { number: number; overrides: OverrideRequest[] };
  plan: Plan;
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
  const progress = await openProgress(opts.progress ?? 'auto', io);
  try {
    return await planWith(opts, progress.io, progress);
  } finally {
    progress.close();
  }
}

async function planWith(opts: PlanFlags, io: Io, progress: ProgressObserver): Promise<number> {
  const now = parseNow(opts.now);
  const { declaration, provider } = await loadWhileReading(opts, io, now, progress);
  let result: Plan;
  const options = planOptions(opts);
  let fromPullRequest: PullRequestOverrides | undefined;
  try {
    if (opts.github) {
      fromPullRequest = await (await import('../../github/ci-plan.ts')).pullRequestOverridesOfRun({ env: io.env, dir: resolve(io.cwd, opts.dir), commit: currentCommit(resolve(io.cwd, opts.dir)), onRetry: retryReporter(io) });
      for (const r of fromPullRequest.requests) if (!r.granted) io.err(`Note: pull request #${fromPullRequest.pr} asks for ${r.flag} (label ${r.label}), which does not take effect: ${r.why}.\n`);
      for (const [option] of OVERRIDE_OPTIONS) options[option] ||= fromPullRequest.granted.options[option] === true;
    }
    result = makePlan(declaration, await reading(progress, () => provider.read()), now, options, fromPullRequest && { baseGuards: fromPullRequest.base.guards });
  } finally {
    await provider.close();
  }
  showPlan(result, opts.format, io);
  if (opts.out) {
    if (hasErrors(result.problems)) throw new InvalidInputError(result.problems);
    const saved: SavedPlan = {
      kind: 'roster-plan',
      formatVersion: 1,
      commit: currentCommit(resolve(io.cwd, opts.dir)),
      ...(treeIsDirty(resolve(io.cwd, opts.dir)) && { dirty: true as const }),
      options,
      ...(fromPullRequest?.pr && { pullRequest: { number: fromPullRequest.pr, overrides: fromPullRequest.requests } }),
      plan: result,
    };
    writeFileSync(resolve(io.cwd, opts.out), JSON.stringify(saved, null, 2) + '\n');
    io.err(`Saved the plan to ${opts.out}. Apply exactly these steps with: roster apply ${opts.out}\n`);
  }
  return planExitCode(result, Boolean(opts.detailedExitcode));
}
