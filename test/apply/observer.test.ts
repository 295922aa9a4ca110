import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/index.ts';
import { intentJournal } from '../../src/audit/intents.ts';
import { readTrail } from '../../src/audit/file.ts';
import { FakeHttpProvider, planPeople } from '../fakes/http-provider.ts';
import { tempTree } from '../helpers/tree.ts';

const PEOPLE = ['ann@acme.test', 'ben@acme.test', 'cid@acme.test'];

describe('the apply observer', () => {
  it('is told each point in order, with running totals, while what it names is true on disk (progress between transactions)', async () => {
    const auditLog = `${tempTree()}/audit.jsonl`;
    const provider = new FakeHttpProvider();
    const told: string[] = [];
    const journal = intentJournal(auditLog, provider.target);
    const onDisk = () => `${journal.read().length} journaled, ${readTrail(auditLog).events.length} recorded`;
    await applyPlan(provider, {
      replan: (live) => planPeople(PEOPLE, live),
      actor: { name: 'test' },
      commit: null,
      lockTimeoutMs: 0,
      auditLog,
      observer: {
        stepWritten: (n) => told.push(`step ${n} (${onDisk()})`),
        intentsJournaled: (n) => told.push(`intents ${n} (${onDisk()})`),
        eventsRecorded: (n) => told.push(`events ${n} (${onDisk()})`),
      },
      progress: { start: () => undefined, advance: (done, total) => told.push(`progress ${done}/${total}`), end: () => undefined },
    });
    // Two phases (users, then memberships) of three steps: journaled before any is sent, recorded before the journal is cleared.
    expect(told).toEqual([
      'intents 3 (3 journaled, 0 recorded)',
      'step 1 (3 journaled, 0 recorded)',
      'step 2 (3 journaled, 0 recorded)',
      'step 3 (3 journaled, 0 recorded)',
      'events 3 (3 journaled, 3 recorded)',
      'progress 3/6',
      'intents 6 (3 journaled, 3 recorded)',
      'step 4 (3 journaled, 3 recorded)',
      'step 5 (3 journaled, 3 recorded)',
      'step 6 (3 journaled, 3 recorded)',
      'events 6 (3 journaled, 6 recorded)',
      'progress 6/6',
    ]);
  });
});

describe('kill points', () => {
  it('live in the tests alone: no production code reads ROSTER_FAILPOINT or kills its own process', () => {
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|mjs|js)$/.test(f));
    const hooks = files.filter((f) => /ROSTER_FAILPOINT|process\.kill\(process\.pid/.test(readFileSync(`src/${f}`, 'utf8')));
    expect(hooks).toEqual([]);
  });
});
