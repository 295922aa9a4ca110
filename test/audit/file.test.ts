import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chain } from '../../src/audit/chain.ts';
import { appendToTrail, eventLine, lastTrailEvent, readTrail, repairTrail, tornTail, verifyTrailFile } from '../../src/audit/file.ts';
import type { AuditDraft, AuditEvent } from '../../src/model/audit.ts';
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

  it('finds a torn last line, refuses to append to it, and repair cuts exactly that line', () => {
    const path = `${tempTree()}/audit.jsonl`;
    const events = trail(3000);
    appendToTrail(path, events.slice(0, 2999));
    const whole = statSync(path).size;
    appendFileSync(path, eventLine(events[2999]!).slice(0, 40));
    expect(tornTail(path)).toMatchObject({ offset: whole, bytes: 40, complete: false });
    expect(lastTrailEvent(path)?.seq).toBe(2999);
    expect(readTrail(path).torn).toMatchObject({ offset: whole, bytes: 40 });
    expect(verifyTrailFile(path)).toMatchObject({ ok: false, count: 2999, firstBad: 3000 });
    expect(() => appendToTrail(path, events)).toThrow(/cannot be continued: the last line is torn \(40 byte\(s\) without a newline/);
    expect(repairTrail(path)).toMatchObject({ bytes: 40, complete: false });
    expect(statSync(path).size).toBe(whole);
    expect(repairTrail(path)).toBeNull();
    appendToTrail(path, events);
    expect(verifyTrailFile(path)).toEqual({ ok: true, count: 3000 });
  });

  it('completes a whole last event that lacks only its newline, and keeps fields it does not know', () => {
    const path = `${tempTree()}/audit.jsonl`;
    const [first, second] = trail(2);
    writeFileSync(path, eventLine(first!) + '\n' + eventLine({ ...second!, intent: 'x' } as AuditEvent));
    expect(repairTrail(path)).toMatchObject({ complete: true });
    expect(readFileSync(path, 'utf8').endsWith('"intent":"x"}\n')).toBe(true);
    truncateSync(path, 0);
    expect(verifyTrailFile(`${path}.missing`)).toMatchObject({ ok: false, count: 0, reason: 'no such file: there is no trail to verify' });
  });
});
