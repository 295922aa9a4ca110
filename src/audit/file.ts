import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import { TrailError } from '../errors.ts';
import { sha256 } from '../util/canonical.ts';
import { chain, verifyChain, type VerifyResult } from './chain.ts';
import type { AuditDraft, AuditEvent } from '../model/audit.ts';

/**
 * Bytes after the file's last newline: a write that stopped half-way (a
 * crash, a full disk). Every write ends its lines with a newline, so
 * anything after the last one is torn.
 */
export interface TornTail {
  /** Where the torn line starts. */
  offset: number;
  bytes: number;
  /** sha256 of the torn bytes, recorded when they are cut. */
  hash: string;
  /** The torn text is a whole JSON value: only its newline is missing. */
  complete: boolean;
}

/** Reads a JSON-lines trail; a line that is not JSON is reported as the first bad one, a torn last line as torn. */
export function readTrail(path: string): { events: AuditEvent[]; badLine?: number; torn?: TornTail } {
  if (!existsSync(path)) return { events: [] };
  const events: AuditEvent[] = [];
  const raw = readFileSync(path);
  const torn = tornOf(raw);
  const lines = raw
    .subarray(0, torn?.offset ?? raw.length)
    .toString('utf8')
    .split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as AuditEvent);
    } catch {
      return { events, badLine: i + 1 };
    }
  }
  return torn ? { events, torn } : { events };
}

function tornOf(raw: Buffer, start = 0): TornTail | null {
  if (raw.length === 0 || raw[raw.length - 1] === 0x0a) return null;
  const offset = raw.lastIndexOf(0x0a) + 1;
  const tail = raw.subarray(offset);
  let complete = true;
  try {
    JSON.parse(tail.toString('utf8'));
  } catch {
    complete = false;
  }
  return { offset: start + offset, bytes: tail.length, hash: sha256(tail.toString('latin1')), complete };
}

/** The torn last line of a trail, read from its end; null when the trail ends cleanly (or does not exist). */
export function tornTail(path: string): TornTail | null {
  if (!existsSync(path)) return null;
  return fromTheEnd(path, (window, start) =>
    // A window with no newline in it may not hold the whole torn line yet.
    start === 0 || window.includes(0x0a) || window.length === 0 || window[window.length - 1] === 0x0a ? tornOf(window, start) : undefined,
  );
}

/** Reads a file backwards in growing windows until `look` has what it needs (undefined: read further back). */
function fromTheEnd<T>(path: string, look: (window: Buffer, start: number) => T | undefined): T {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    for (let span = 64 * 1024; ; span *= 4) {
      const start = Math.max(0, size - span);
      const window = Buffer.alloc(size - start);
      readSync(fd, window, 0, window.length, start);
      const found = look(window, start);
      if (found !== undefined) return found;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes a torn trail end cleanly: a torn line that is whole JSON only gets
 * its newline, any other is cut. Returns what was found (null: nothing to do).
 */
export function repairTrail(path: string): TornTail | null {
  const torn = tornTail(path);
  if (!torn) return null;
  if (torn.complete) appendFileSync(path, '\n');
  else truncateSync(path, torn.offset);
  return torn;
}

/**
 * The last event of a trail, read from the end of the file: an apply needs
 * only that to continue the chain, however long the trail has grown. A torn
 * last line is not an event. A tail that does not parse falls back to
 * reading the whole file.
 */
export function lastTrailEvent(path: string): AuditEvent | null {
  if (!existsSync(path)) return null;
  return fromTheEnd<AuditEvent | null>(path, (window, start) => {
    const lines = window.toString('utf8').split('\n');
    lines.pop(); // after the last newline: nothing, or a torn line
    // The first line of a window that does not start the file may be cut.
    const last = (start === 0 ? lines : lines.slice(1)).filter((l) => l.trim() !== '').at(-1);
    if (last === undefined) return start === 0 ? null : undefined;
    try {
      return JSON.parse(last) as AuditEvent;
    } catch {
      return readTrail(path).events.at(-1) ?? null;
    }
  });
}

/** Checks a trail file: it exists, ends cleanly, and its hash chain holds. */
export function verifyTrailFile(path: string): VerifyResult {
  if (!existsSync(path)) return { ok: false, count: 0, firstBad: 1, reason: 'no such file: there is no trail to verify' };
  const { events, badLine, torn } = readTrail(path);
  const result = verifyChain(events);
  if (!result.ok) return result;
  const next = (events.at(-1)?.seq ?? 0) + 1;
  if (badLine !== undefined) return { ok: false, count: events.length + 1, firstBad: next, reason: `line ${badLine} is not valid JSON` };
  if (torn) return { ok: false, count: events.length, firstBad: next, reason: tornReason(torn) };
  return result;
}

export const tornReason = (torn: TornTail) =>
  `the last line is torn (${torn.bytes} byte(s) without a newline: a write stopped half-way); roster audit repair cuts it and records that it did`;

const FIELD_ORDER = [
  'seq',
  'at',
  'step',
  'key',
  'before',
  'after',
  'reason',
  'source',
  'actor',
  'commit',
  'store',
  'result',
  'error',
  'recovered',
  'overrides',
  'now',
  'prev',
  'hash',
] as const;

/** One line per event, fields in the documented order (stores may hand them back in any order); fields added later follow. */
export function eventLine(event: AuditEvent): string {
  const ordered: Record<string, unknown> = {};
  for (const k of FIELD_ORDER) if (event[k] !== undefined) ordered[k] = event[k];
  for (const [k, v] of Object.entries(event)) if (!(k in ordered) && v !== undefined) ordered[k] = v;
  return JSON.stringify(ordered);
}

/**
 * Appends events the file does not hold yet (by sequence number): the file
 * mirrors the store. `last`: the file's last seq, when the caller has just
 * read it. Refuses a torn trail: appending would glue an event to the torn line.
 */
export function appendToTrail(path: string, events: AuditEvent[], last = lastTrailEvent(path)?.seq ?? 0): number {
  const fresh = events.filter((e) => e.seq > last);
  if (fresh.length === 0) return 0;
  const torn = tornTail(path);
  if (torn) throw new TrailError(`the audit trail ${path} cannot be continued: ${tornReason(torn)}`);
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
