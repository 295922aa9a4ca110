import type { ApplyResult } from '../model/apply.ts';

/**
 * `roster apply --format json`: one document, versioned like the plan's, with
 * the plan that was applied and what became of each step. `audit` is the
 * range of trail sequence numbers this run wrote (null when it wrote none).
 */
export function renderApplyJson(result: Pick<ApplyResult, 'plan' | 'ran' | 'outcomes' | 'events' | 'recovery'>): string {
  const count = (r: string) => result.outcomes.filter((o) => o.result === r).length;
  const seqs = result.events.map((e) => e.seq);
  return (
    JSON.stringify(
      {
        formatVersion: 1,
        plan: result.plan,
        ran: result.ran,
        applied: count('applied'),
        failed: count('failed'),
        skipped: count('skipped'),
        steps: result.outcomes.map((o) => ({ kind: o.step.kind, key: o.step.key, result: o.result, ...(o.error !== undefined && { error: o.error }) })),
        audit: seqs.length ? { events: seqs.length, firstSeq: Math.min(...seqs), lastSeq: Math.max(...seqs) } : null,
        recovered: { recorded: result.recovery.recorded.length, notApplied: result.recovery.notApplied.length },
      },
      null,
      2,
    ) + '\n'
  );
}
