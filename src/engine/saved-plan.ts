import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { currentCommit, treeIsDirty } from '../audit/actor.ts';
import { InvalidInputError, UsageError } from '../errors.ts';
import type { OverrideRequest } from '../github/overrides.ts';
import type { Plan, PlanOptions } from '../model/plan.ts';
import { hasErrors } from '../model/problems.ts';
import { declarationDir, type RunContext } from './context.ts';

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

export function readSavedPlan(path: string): SavedPlan {
  let saved: SavedPlan;
  try {
    saved = JSON.parse(readFileSync(path, 'utf8')) as SavedPlan;
  } catch (e) {
    throw new UsageError(`cannot read the saved plan ${path}: ${(e as Error).message}`);
  }
  if (saved?.kind !== 'roster-plan' || saved.formatVersion !== 1) throw new UsageError(`${path} is not a roster plan (roster plan --out FILE writes one)`);
  return saved;
}

/**
 * Writes the plan for `apply FILE`, with the commit it was made from (and
 * whether the folder was edited since). A plan with errors is refused: it
 * could never be applied.
 */
export function writeSavedPlan(ctx: Pick<RunContext, 'cwd' | 'dir'>, path: string, made: { plan: Plan; options: PlanOptions; pullRequest?: { pr: number | null; requests: OverrideRequest[] } }): void {
  if (hasErrors(made.plan.problems)) throw new InvalidInputError(made.plan.problems);
  const dir = declarationDir(ctx);
  const saved: SavedPlan = {
    kind: 'roster-plan',
    formatVersion: 1,
    commit: currentCommit(dir),
    ...(treeIsDirty(dir) && { dirty: true as const }),
    options: made.options,
    ...(made.pullRequest?.pr && { pullRequest: { number: made.pullRequest.pr, overrides: made.pullRequest.requests } }),
    plan: made.plan,
  };
  writeFileSync(resolve(ctx.cwd, path), JSON.stringify(saved, null, 2) + '\n');
}
