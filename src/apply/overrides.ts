import type { OverrideRecord } from '../model/audit.ts';
import type { Plan } from '../model/plan.ts';
import type { OverrideGrants } from '../model/plan.ts';

/**
 * The overrides each step's event records: every overridden block, on the
 * steps it names. A block that names none of the plan's steps (it counts
 * people, and what changes them is another step, a role edit say) is let
 * through by the plan as a whole, so every step records it.
 */
export function overridesByStep(plan: Plan, grants: OverrideGrants): Map<string, OverrideRecord[]> {
  const out = new Map<string, OverrideRecord[]>();
  const add = (key: string, record: OverrideRecord) => out.set(key, [...(out.get(key) ?? []), record]);
  const stepKeys = new Set(plan.steps.map((s) => s.key));
  for (const block of plan.blocks) {
    if (!block.overridden) continue;
    const record: OverrideRecord = { guard: block.guard, flag: block.flag, ...(grants[block.flag] ?? { from: 'command-line' }) };
    const named = block.keys.filter((k) => stepKeys.has(k));
    for (const key of named.length ? new Set(named) : stepKeys) add(key, record);
  }
  return out;
}
