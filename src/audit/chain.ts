import { canonicalJson, sha256 } from '../util/canonical.ts';
import type { AuditDraft, AuditEvent } from '../model/audit.ts';

/** `prev` of the first event: there is nothing before it. */
export const GENESIS = `sha256:${'0'.repeat(64)}`;

export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  return sha256(canonicalJson(event));
}

/** Links a draft to the event before it: the next sequence number, and a hash over both. */
export function chain(draft: AuditDraft, previous: Pick<AuditEvent, 'seq' | 'hash'> | null): AuditEvent {
  const linked = { ...draft, seq: (previous?.seq ?? 0) + 1, prev: previous?.hash ?? GENESIS };
  return { ...linked, hash: hashEvent(linked) };
}

export interface VerifyResult {
  ok: boolean;
  count: number;
  /** The first sequence number (or line) that does not verify. */
  firstBad?: number;
  reason?: string;
}

/**
 * Checks a trail: sequence numbers run 1, 2, 3…, each event's hash covers its
 * content and links to the one before, so an edit, a deletion, an insertion
 * or a reordering anywhere is found, and the first bad event named.
 */
export function verifyChain(events: Iterable<AuditEvent>): VerifyResult {
  let previous: AuditEvent | null = null;
  let count = 0;
  for (const event of events) {
    count++;
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const bad = (reason: string): VerifyResult => ({ ok: false, count, firstBad: typeof event.seq === 'number' ? event.seq : expectedSeq, reason });
    if (event.seq !== expectedSeq)
      return {
        ...bad(`expected event ${expectedSeq}, found ${String(event.seq)} (an event was removed, inserted or moved)`),
        firstBad: Math.min(expectedSeq, Number(event.seq) || expectedSeq),
      };
    if (event.prev !== (previous?.hash ?? GENESIS)) return bad('does not link to the event before it');
    const { hash, ...rest } = event;
    if (hashEvent(rest) !== hash) return bad('its content does not match its hash (edited)');
    previous = event;
  }
  return { ok: true, count };
}
