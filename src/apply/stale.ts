import type { Block, Plan, Step } from '../model/plan.ts';
import { canonicalJson } from '../util/canonical.ts';

const id = (s: Step) => `${s.kind} ${s.key}`;

/** What differs between a saved plan and the one the live state gives now; empty when it still holds. */
export function planDifferences(saved: Plan, fresh: Plan): string[] {
  const before = new Map(saved.steps.map((s) => [id(s), s]));
  const now = new Map(fresh.steps.map((s) => [id(s), s]));
  const out: string[] = [];
  for (const [k, s] of before) {
    const n = now.get(k);
    if (!n) out.push(`- ${k}: in the saved plan, no longer needed`);
    else if (canonicalJson(n) !== canonicalJson(s))
      out.push(
        `~ ${k}: would now be ${canonicalJson({ before: n.before, after: n.after })}, saved plan has ${canonicalJson({ before: s.before, after: s.after })}`,
      );
  }
  for (const k of now.keys()) if (!before.has(k)) out.push(`+ ${k}: needed now, not in the saved plan`);
  out.push(...blockDifferences(saved.blocks ?? [], fresh.blocks));
  if (out.length === 0 && saved.desiredDigest !== fresh.desiredDigest) out.push('the declaration changed since the plan was saved');
  return out;
}

/**
 * Guards that block one plan and not the other. Whether a block was
 * overridden is left out: that is decided by the apply's own flags, never
 * by what the saved file says.
 */
function blockDifferences(saved: readonly Block[], fresh: readonly Block[]): string[] {
  const id = (b: Block) => canonicalJson({ guard: b.guard, flag: b.flag, keys: [...b.keys].sort() });
  const say = (b: Block) => `guard ${b.guard} (${b.flag}, ${b.keys.length} key(s))`;
  const savedIds = new Set(saved.map(id));
  const freshIds = new Set(fresh.map(id));
  return [
    ...saved.filter((b) => !freshIds.has(id(b))).map((b) => `- ${say(b)}: blocks the saved plan, not the plan now`),
    ...fresh.filter((b) => !savedIds.has(id(b))).map((b) => `+ ${say(b)}: blocks the plan now, not the saved plan`),
  ];
}
