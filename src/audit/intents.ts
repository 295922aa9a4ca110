import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readTrail } from './file.ts';
import type { AuditDraft, AuditEvent } from '../model/audit.ts';

/**
 * A change about to be sent to a live system that keeps no audit store of
 * its own, written to disk before the request goes out. The event recorded
 * for it later settles it; an intent still open when the next apply starts
 * was interrupted, and that apply finds out what became of it.
 */
export interface Intent {
  /** The trail's last sequence number when the intent was written: the event that settles it comes after. */
  afterSeq: number;
  /** The live system the change is for (the provider's target). */
  target: string;
  /** The event as it will be recorded: its time, step, actor and commit are fixed now. */
  draft: AuditDraft;
}

/** Where the journals of a trail live: one file per live system, so applies to two targets never share one. */
export const intentsDir = (trailPath: string): string => `${trailPath}.intents`;

export interface IntentJournal {
  readonly path: string;
  /** Appends intents and flushes them to disk before returning. */
  record(intents: Intent[]): void;
  /** The intents not cleared yet. A torn last line was cut by a crash while it was written: its request was never sent. */
  read(): Intent[];
  /** Forgets every intent, once each is settled: flushes the trail first, so no event is only in memory when its intent goes. */
  clear(): void;
}

/** The write-ahead journal of one trail and one live system. */
export function intentJournal(trailPath: string, target: string): IntentJournal {
  const path = join(intentsDir(trailPath), `${createHash('sha256').update(target).digest('hex').slice(0, 16)}.jsonl`);
  return {
    path,
    record(intents) {
      if (intents.length === 0) return;
      const created = !existsSync(path);
      if (created) mkdirSync(intentsDir(trailPath), { recursive: true });
      appendDurably(path, intents.map((i) => JSON.stringify({ type: 'intent', ...i }) + '\n').join(''));
      // A new file's name is durable only once its directory is.
      if (created) flush(intentsDir(trailPath));
    },
    read: () => readJournal(path),
    clear() {
      if (!existsSync(path)) return;
      if (existsSync(trailPath)) flush(trailPath);
      rmSync(path, { force: true });
    },
  };
}

function appendDurably(path: string, text: string): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function flush(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readJournal(path: string): Intent[] {
  if (!existsSync(path)) return [];
  const out: Intent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let parsed: (Intent & { type?: string }) | undefined;
    try {
      parsed = JSON.parse(line) as Intent & { type?: string };
    } catch {
      continue;
    }
    if (parsed?.type !== 'intent' || typeof parsed.afterSeq !== 'number' || typeof parsed.draft !== 'object' || parsed.draft === null) continue;
    out.push({ afterSeq: parsed.afterSeq, target: parsed.target, draft: parsed.draft });
  }
  return out;
}

/**
 * What an event shares with the draft it was recorded from. The time alone
 * is a millisecond: two applies (to two live systems sharing one trail) can
 * write the same step and key within one, so the store, commit and actor
 * the draft fixed are part of it too.
 */
const identity = (x: Pick<AuditDraft, 'step' | 'key' | 'at' | 'store' | 'commit' | 'actor'>) =>
  JSON.stringify([x.step, x.key, x.at, x.store ?? null, x.commit ?? null, x.actor?.name ?? null]);

/**
 * The intents no event settles. An event settles an intent when it was
 * recorded from the intent's draft (same step, key, time, store, commit and
 * actor) after the intent was written; whether the step was applied or
 * failed does not matter.
 */
export function unsettled(intents: Intent[], events: Iterable<AuditEvent>): Intent[] {
  const lastSeq = new Map<string, number>();
  for (const e of events) lastSeq.set(identity(e), Math.max(e.seq, lastSeq.get(identity(e)) ?? 0));
  const seen = new Set<string>();
  return intents.filter((i) => {
    const id = identity(i.draft);
    if (seen.has(id)) return false;
    seen.add(id);
    return (lastSeq.get(id) ?? 0) <= i.afterSeq;
  });
}

/** Every journal of a trail with intents its events do not settle (what `audit verify` reports). */
export function openIntents(trailPath: string, events: AuditEvent[] = readTrail(trailPath).events): { journal: string; target: string; intents: Intent[] }[] {
  const dir = intentsDir(trailPath);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => {
      const intents = unsettled(readJournal(join(dir, f)), events);
      return intents.length ? [{ journal: join(dir, f), target: intents[0]!.target, intents }] : [];
    });
}
