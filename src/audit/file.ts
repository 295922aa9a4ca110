import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEvent } from './types.ts';
import { chain, verifyChain, type VerifyResult } from './chain.ts';
import type { AuditDraft } from './types.ts';

/** Reads a JSON-lines trail; a line that is not JSON is reported as the first bad one. */
export function readTrail(path: string): { events: AuditEvent[]; badLine?: number } {
  if (!existsSync(path)) return { events: [] };
  const events: AuditEvent[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as AuditEvent);
    } catch {
      return { events, badLine: i + 1 };
    }
  }
  return { events };
}

export function verifyTrailFile(path: string): VerifyResult {
  const { events, badLine } = readTrail(path);
  const result = verifyChain(events);
  if (!result.ok || badLine === undefined) return result;
  return { ok: false, count: events.length + 1, firstBad: (events.at(-1)?.seq ?? 0) + 1, reason: `line ${badLine} is not valid JSON` };
}

const FIELD_ORDER = ['seq', 'at', 'step', 'key', 'before', 'after', 'reason', 'source', 'actor', 'commit', 'result', 'error', 'prev', 'hash'] as const;

/** One line per event, fields in the documented order (stores may hand them back in any order). */
export function eventLine(event: AuditEvent): string {
  const ordered: Record<string, unknown> = {};
  for (const k of FIELD_ORDER) if (event[k] !== undefined) ordered[k] = event[k];
  return JSON.stringify(ordered);
}

/** Appends events the file does not hold yet (by sequence number): the file mirrors the store. */
export function appendToTrail(path: string, events: AuditEvent[]): number {
  const { events: existing } = readTrail(path);
  const last = existing.at(-1)?.seq ?? 0;
  const fresh = events.filter((e) => e.seq > last);
  if (fresh.length === 0) return 0;
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, fresh.map(eventLine).join('\n') + '\n');
  return fresh.length;
}

/**
 * The JSON-lines trail as an audit store, for providers with no store of
 * their own: events are chained onto the file's last event.
 */
export function fileAuditStore(path: string) {
  return {
    events: async (afterSeq = 0) => readTrail(path).events.filter((e) => e.seq > afterSeq),
    append: async (drafts: AuditDraft[]) => {
      let head = readTrail(path).events.at(-1) ?? null;
      const events = drafts.map((d) => (head = chain(d, head)));
      appendToTrail(path, events);
      return events;
    },
  };
}
