import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { anything, arrayOf, boolean, isObject, literal, nullable, number, object, passes, string, type SameShape, type TypeOf } from '../model/json-check.ts';
import { planFromJson } from '../model/plan-json.ts';
import type { SavedPlan } from './commands/plan.ts';

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
