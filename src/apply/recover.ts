import { unsettled, type IntentJournal } from '../audit/intents.ts';
import type { Recovery } from '../model/apply.ts';
import type { AuditStore, LiveState } from '../model/live.ts';
import { changeLanded } from './landed.ts';

export const NOTHING_RECOVERED: Recovery = { recorded: [], notApplied: [] };

/**
 * Settles what an interrupted apply left open, before anything new runs
 * (the caller holds the target's lock, and `live` was read under it): an
 * intent its event already settles needs nothing; one whose change shows in
 * the live state gets that event now, with the original time, step, actor
 * and commit; one whose change does not show was never made. Then the
 * journal is cleared. A crash in here leaves the journal as it was, and the
 * events already added settle their intents the next time.
 */
export async function recoverIntents(journal: IntentJournal, store: AuditStore, live: LiveState, now: () => Date = () => new Date()): Promise<Recovery> {
  const intents = journal.read();
  if (intents.length === 0) return NOTHING_RECOVERED;
  const from = Math.min(...intents.map((i) => i.afterSeq));
  const open = unsettled(intents, await store.events(from));
  const landed = new Set(open.filter((i) => changeLanded(i.draft, live)));
  const found = now().toISOString();
  const recorded = landed.size ? await store.append([...landed].map((i) => ({ ...i.draft, result: 'applied' as const, recovered: found }))) : [];
  journal.clear();
  return { recorded, notApplied: open.filter((i) => !landed.has(i)).map((i) => i.draft) };
}
