import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
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

/**
 * The last event of a trail, read from the end of the file: an apply needs
 * only that to continue the chain, however long the trail has grown. A tail
 * that does not parse falls back to reading the whole file.
 */
export function lastTrailEvent(path: string): AuditEvent | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    for (let span = 64 * 1024; ; span *= 4) {
      const start = Math.max(0, size - span);
      const buffer = Buffer.alloc(size - start);
      readSync(fd, buffer, 0, buffer.length, start);
      const lines = buffer.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      // The first line of a window that does not start the file may be cut.
      const complete = start === 0 ? lines : lines.slice(1);
      const last = complete.at(-1);
      if (last !== undefined) {
        try {
          return JSON.parse(last) as AuditEvent;
        } catch {
          return readTrail(path).events.at(-1) ?? null;
        }
      }
      if (start === 0) return null;
    }
  } finally {
    closeSync(fd);
  }
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

/** Appends events the file does not hold yet (by sequence number): the file mirrors the store. `last`: the file's last seq, when the caller has just read it. */
export function appendToTrail(path: string, events: AuditEvent[], last = lastTrailEvent(path)?.seq ?? 0): number {
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
      const last = lastTrailEvent(path);
      let head = last;
      const events = drafts.map((d) => (head = chain(d, head)));
      appendToTrail(path, events, last?.seq ?? 0);
      return events;
    },
  };
}
