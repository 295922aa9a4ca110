import { normalizeEmail } from '../util/strings.ts';
import type { AuditEvent } from '../model/audit.ts';

export interface AuditQuery {
  /** A person's email: events about them, their memberships, assignments, invitations and grants that reached them. */
  user?: string;
  /** A step kind (`user.update`) or a family (`user.*`, `credit.*`). */
  step?: string;
  /** Inclusive bounds on the event time. */
  since?: Date;
  until?: Date;
  result?: 'applied' | 'failed';
}

/** Does the event concern this person? Keys end in the email (`user:`, `membership:WS:`, `invitation:`…), or they are in a grant's entries. */
export function concernsUser(event: AuditEvent, email: string): boolean {
  if (event.key === `user:${email}` || event.key.endsWith(`:${email}`)) return true;
  for (const side of [event.after, event.before]) {
    if (!side || typeof side !== 'object' || Array.isArray(side)) continue;
    if (side.owner === email || side.user === email || side.email === email || side.createdBy === email) return true;
    const entries = side.entries;
    if (Array.isArray(entries) && entries.some((e) => typeof e === 'object' && e !== null && !Array.isArray(e) && e.user === email)) return true;
  }
  return false;
}

function stepMatches(kind: string, pattern: string): boolean {
  return pattern.endsWith('.*') ? kind.startsWith(pattern.slice(0, -1)) : kind === pattern;
}

/** The events matching every given filter, in trail order. */
export function queryEvents(events: Iterable<AuditEvent>, q: AuditQuery): AuditEvent[] {
  const email = q.user === undefined ? undefined : normalizeEmail(q.user);
  const since = q.since?.getTime() ?? -Infinity;
  const until = q.until?.getTime() ?? Infinity;
  const out: AuditEvent[] = [];
  for (const e of events) {
    const at = Date.parse(e.at);
    if (at < since || at > until) continue;
    if (q.result && e.result !== q.result) continue;
    if (q.step && !stepMatches(e.step, q.step)) continue;
    if (email !== undefined && !concernsUser(e, email)) continue;
    out.push(e);
  }
  return out;
}

/**
 * A date bound from the command line: an instant, or a day. `--since DAY`
 * starts at its first millisecond (UTC), `--until DAY` ends at its last, so
 * both bounds include the days they name. Null when the text is not a date.
 */
export function parseBound(text: string, end: boolean): Date | null {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const d = new Date(day ? `${text}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : text);
  if (Number.isNaN(d.getTime())) return null;
  if (day && d.toISOString().slice(0, 10) !== text) return null; // 2026-02-30
  return d;
}

/** A tampered trail may hold anything that parses as JSON: only events of the documented shape are queried. */
export function isWellFormed(e: unknown): e is AuditEvent {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  const actor = x.actor as Record<string, unknown> | null;
  return (
    typeof x.seq === 'number' &&
    typeof x.at === 'string' &&
    typeof x.step === 'string' &&
    typeof x.key === 'string' &&
    typeof x.result === 'string' &&
    typeof actor === 'object' &&
    actor !== null &&
    typeof actor.name === 'string'
  );
}
