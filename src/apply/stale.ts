import type { Plan, Step } from '../plan/types.ts';
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
    else if (canonicalJson(n) !== canonicalJson(s)) out.push(`~ ${k}: would now be ${canonicalJson({ before: n.before, after: n.after })}, saved plan has ${canonicalJson({ before: s.before, after: s.after })}`);
  }
  for (const k of now.keys()) if (!before.has(k)) out.push(`+ ${k}: needed now, not in the saved plan`);
  if (out.length === 0 && saved.desiredDigest !== fresh.desiredDigest) out.push('the declaration changed since the plan was saved');
  return out;
}
