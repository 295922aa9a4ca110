import { appendFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chain } from '../../src/audit/chain.ts';
import { appendToTrail, lastTrailEvent, readTrail } from '../../src/audit/file.ts';
import type { AuditDraft, AuditEvent } from '../../src/audit/types.ts';
import { tempTree } from '../helpers/tree.ts';

const draft = (i: number): AuditDraft => ({
  at: '2026-11-23T12:00:00.000Z',
  step: 'user.update',
  key: `user:u${i}@acme.test`,
  before: { role: 'member' },
  after: { role: 'admin', note: 'x'.repeat(i % 300) },
  reason: 'declared role differs',
  source: 'users/a.yaml:1:1',
  actor: { name: 'test' },
  commit: null,
  result: 'applied',
});

function trail(count: number): AuditEvent[] {
  let head: AuditEvent | null = null;
  return Array.from({ length: count }, (_, i) => (head = chain(draft(i), head)));
}

describe('the JSON-lines trail', () => {
  it('finds the last event from the end of a long file, whatever the window cuts', () => {
    const path = `${tempTree()}/audit.jsonl`;
    expect(lastTrailEvent(path)).toBeNull();
    const events = trail(2000); // about 700 KB: several 64 KB windows
    appendToTrail(path, events.slice(0, 1));
    expect(lastTrailEvent(path)?.seq).toBe(1);
    appendToTrail(path, events);
    expect(lastTrailEvent(path)).toEqual(events.at(-1));
    expect(readTrail(path).events).toHaveLength(2000);
    appendFileSync(path, '\n\n');
    expect(lastTrailEvent(path)?.seq).toBe(2000);
  });

  it('falls back to the whole file when the last line does not parse', () => {
    const path = `${tempTree()}/audit.jsonl`;
    const events = trail(3);
    writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n{"seq": 4, "cut off');
    expect(lastTrailEvent(path)?.seq).toBe(3);
  });

  it('a single event larger than the first window is still found', () => {
    const path = `${tempTree()}/audit.jsonl`;
    const big = chain({ ...draft(1), reason: 'y'.repeat(200_000) }, null);
    writeFileSync(path, JSON.stringify(big) + '\n');
    expect(lastTrailEvent(path)).toEqual(big);
  });
});
