import { resolve } from 'node:path';
import { applyPlan } from '../apply/index.ts';
import type { ApplyResult } from '../model/apply.ts';
import type { OverrideGrants } from '../model/plan.ts';
import type { Anchor } from '../audit/anchors.ts';
import type { Actor } from '../model/audit.ts';
import { checkTrailBeforeApply, type Trail } from '../cli/commands/audit-trail.ts';
import { loadDeclaration } from '../declaration/index.ts';
import type { Declaration } from '../model/declaration.ts';
import { BlockedPlanError, InvalidInputError } from '../errors.ts';
import { isBlocked, plan as makePlan } from '../plan/index.ts';
import type { OverrideFlag, Plan, PlanOptions } from '../model/plan.ts';
import { hasErrors, type Problem } from '../model/problems.ts';
import type { Provider } from '../model/live.ts';

/*
 * The runs the command line wires by hand, as calls other front ends (the
 * Pulumi provider) share: load, read and plan; apply a plan under the lock.
 * Nothing here prints. Issue 14 grows this folder into the engine layer.
 */

/** The declaration under `dir`, or an InvalidInputError carrying every problem (nothing has been touched). */
export function loadForRun(dir: string, cwd: string, now: Date): { declaration: Declaration; warnings: Problem[] } {
  const result = loadDeclaration(resolve(cwd, dir), { now, cwd });
  if (hasErrors(result.problems) || !result.declaration) throw new InvalidInputError(result.problems);
  return { declaration: result.declaration, warnings: result.problems };
}

/** Every block still in force, with roster's message and the flag that overrides it. */
export function blockedMessage(plan: Plan, how: (flag: OverrideFlag) => string = (flag) => flag): string {
  const blocks = plan.blocks.filter((b) => !b.overridden);
  return `the plan is blocked: ${blocks.map((b) => `${b.guard}: ${b.message} (${how(b.flag)})`).join('; ')}`;
}

/** Reads the live state and plans: read-only, no lock. */
export async function runPlan(provider: Provider, declaration: Declaration, now: Date, options: PlanOptions): Promise<Plan> {
  return makePlan(declaration, await provider.read(), now, options);
}

export interface RunApplyInput {
  declaration: Declaration;
  now: Date;
  options: PlanOptions;
  actor: Actor;
  commit: string | null;
  trail: Pick<Trail, 'path' | 'shown' | 'store' | 'target' | 'explicit'>;
  /** Heads published for stores (refs/notes/roster); the store must still hold the newest of its own. */
  anchors: Anchor[];
  /** Who granted each override in force; absent flags are recorded as the run's own. */
  grants?: OverrideGrants;
  lockTimeoutMs: number;
  /** The --now the plan is made for, when it is not the clock. */
  plannedFor?: string;
  /** How this front end grants an override flag, for the refusal's message (default: the flag). */
  howToOverride?: (flag: OverrideFlag) => string;
}

/** The audit events of one apply: the first and last sequence numbers (null when nothing ran). */
export interface AuditRange {
  first: number;
  last: number;
}

/**
 * Lock, re-read, check the trail, re-plan and apply (src/apply): guards and
 * validation problems found under the lock refuse the run with a typed error.
 */
export async function runApply(provider: Provider, input: RunApplyInput): Promise<ApplyResult & { audit: AuditRange | null }> {
  const result = await applyPlan(provider, {
    replan: (live) => makePlan(input.declaration, live, input.now, input.options),
    // Under the apply lock, so another run's write in progress is never taken for a torn line.
    confirm: async (fresh) => {
      if (hasErrors(fresh.problems)) throw new InvalidInputError(fresh.problems);
      if (isBlocked(fresh)) throw new BlockedPlanError(blockedMessage(fresh, input.howToOverride));
      await checkTrailBeforeApply(input.trail, provider, input.anchors);
      return true;
    },
    actor: input.actor,
    commit: input.commit,
    overrideGrants: input.grants ?? {},
    lockTimeoutMs: input.lockTimeoutMs,
    auditLog: input.trail.path,
    store: input.trail.store,
    ...(input.plannedFor !== undefined && { plannedFor: input.plannedFor }),
  });
  // The events of this run are the last ones written (the trail may have caught up on older ones too).
  const recorded = result.outcomes.filter((o) => o.result !== 'skipped').length;
  const last = Math.max(0, ...result.events.map((e) => e.seq));
  return { ...result, audit: recorded && last ? { first: last - recorded + 1, last } : null };
}
