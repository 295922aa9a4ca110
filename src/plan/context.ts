import type { Declaration, DeclaredUser, ResolvedSettings } from '../model/declaration.ts';
import { formatLocation, type Location, type Problem } from '../model/problems.ts';
import type { LiveState, LiveUser } from '../model/live.ts';
import { canonicalJson } from '../util/canonical.ts';
import type { PlanOptions, Risk, Step, StepFields, StepKind } from '../model/plan.ts';
import type { Fields, Json } from '../model/json.ts';

/** What every planning function reads, and where it writes its steps. */
export interface PlanContext {
  d: Declaration;
  live: LiveState;
  today: string;
  options: PlanOptions;
  /** The guard settings in force: the base side's, never loosened by the change under review. */
  guards: ResolvedSettings['guards'];
  steps: Step[];
  problems: Problem[];
  unmanaged: string[];
  /** Live workspace name -> declared name, for renames. */
  renamed: Map<string, string>;
  /** Users by email, built once: every planning step looks people up. */
  liveUsers: Map<string, LiveUser>;
  declaredUsers: Map<string, DeclaredUser>;
  /** Live users the declaration does not name (usually few), found once. */
  undeclaredLive: LiveUser[];
  /** Live accounts settings.exclude keeps out of the plan: never touched, so what they hold is never removed under them. */
  excludedLive: LiveUser[];
}

export const at = (loc: Location): string => formatLocation(loc);

/**
 * Adds a step. The source may be given as the entity's location: it is
 * written out only for the steps there are (planning looks at every user,
 * most of whom need none).
 */
export function addStep<K extends StepKind>(
  ctx: PlanContext,
  kind: K,
  key: string,
  before: StepFields[K]['before'],
  after: StepFields[K]['after'],
  reason: string,
  source: string | Location,
  risk: Risk[] = [],
  requires: string[] = [],
): void {
  // The fields are the kind's (the parameters say so); TypeScript does not follow a generic kind into the union of steps.
  const step = { kind, key, before, after, reason, source: typeof source === 'string' ? source : at(source), risk } as Step;
  if (requires.length) step.requires = requires;
  ctx.steps.push(step);
}

/** Equal values (undefined counts as null); objects compared by content whatever their key order, lists in order. */
function same(a: Json | undefined, b: Json | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  return canonicalJson(x) === canonicalJson(y);
}

/**
 * The fields that differ between a declared entity and its live
 * counterpart, skipping fields the declaration leaves out (omitted means
 * unmanaged).
 */
export function changedFields(desired: Record<string, Json | undefined>, live: Record<string, Json | undefined>): { before: Fields; after: Fields } | null {
  // Runs for every declared entity: nothing is allocated unless something differs.
  let changes: { before: Fields; after: Fields } | null = null;
  for (const k in desired) {
    const v = desired[k];
    if (v === undefined || same(v, live[k])) continue;
    changes ??= { before: {}, after: {} };
    changes.before[k] = (live[k] ?? null) as Json;
    changes.after[k] = v;
  }
  return changes;
}

export const REMOVED = 'not in the declaration';
