import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { currentCommit, treeIsDirty } from '../audit/actor.ts';
import { InvalidInputError, UsageError } from '../errors.ts';
import type { OverrideRequest } from '../github/overrides.ts';
import type { Plan, PlanOptions } from '../model/plan.ts';
import { anything, arrayOf, boolean, isObject, literal, nullable, number, object, passes, string, type SameShape, type TypeOf } from '../model/json-check.ts';
import { planFromJson } from '../model/plan-json.ts';
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

const overrideRequest = object({
  label: string,
  flag: literal('--allow-mass-removal', '--allow-delete', '--allow-owner-change'),
  option: literal('allowDelete', 'allowMassRemoval', 'allowOwnerChange'),
  labeledBy: nullable(string),
  labeledAt: nullable(string),
  approvedBy: arrayOf(string),
  granted: boolean,
  why: string,
});

/** SavedPlan around its plan, which planFromJson checks. */
const envelope = object(
  {
    kind: literal('roster-plan'),
    formatVersion: literal(1),
    commit: nullable(string),
    options: object({ allowDelete: boolean, allowMassRemoval: boolean, allowOwnerChange: boolean }),
    plan: anything,
  },
  { dirty: literal(true), pullRequest: object({ number, overrides: arrayOf(overrideRequest) }) },
);
const _envelopeAgrees: SameShape<Omit<TypeOf<typeof envelope>, 'plan'>, Omit<SavedPlan, 'plan'>> = true;

/**
 * A plan saved by `plan --out`, read back. Every field is checked, each
 * step against its kind's shape: the file is data anyone holding the
 * artifact could have edited, and what reads it relies on the types.
 */
export function readSavedPlan(path: string): SavedPlan {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the saved plan ${path}: ${(e as Error).message}`);
  }
  const notOne = `${path} is not a roster plan (roster plan --out FILE writes one)`;
  if (!isObject(json) || json.kind !== 'roster-plan' || json.formatVersion !== 1) throw new UsageError(notOne);
  let problem = '';
  if (!passes(envelope, json, 'the file', (p) => (problem = p))) throw new UsageError(`${notOne}: ${problem}`);
  const read = planFromJson(json.plan);
  if ('problem' in read) throw new UsageError(`${notOne}: ${read.problem}`);
  return { ...json, plan: read.plan };
}

/**
 * Writes the plan for `apply FILE`, with the commit it was made from (and
 * whether the folder was edited since). A plan with errors is refused: it
 * could never be applied.
 */
export function writeSavedPlan(
  ctx: Pick<RunContext, 'cwd' | 'dir'>,
  path: string,
  made: { plan: Plan; options: PlanOptions; pullRequest?: { pr: number | null; requests: OverrideRequest[] } },
): void {
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
