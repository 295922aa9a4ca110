import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyPlan, type ApplyOptions } from '../../src/apply/index.ts';
import { recoverIntents } from '../../src/apply/recover.ts';
import { verifyChain } from '../../src/audit/chain.ts';
import { fileAuditStore, readTrail } from '../../src/audit/file.ts';
import { intentJournal, intentsDir, openIntents } from '../../src/audit/intents.ts';
import type { Actor } from '../../src/model/audit.ts';
import { FakeHttpProvider, planPeople } from '../fakes/http-provider.ts';
import { tempTree } from '../helpers/tree.ts';

const PEOPLE = ['ann@acme.test', 'ben@acme.test', 'cid@acme.test'];
/** The six steps PEOPLE need from nothing: three users, then three memberships. */
const ALL_STEPS = PEOPLE.flatMap((e) => [`user.create user:${e}`, `membership.set membership:research:${e}`]).sort();

const options = (auditLog: string, actor: Actor, commit: string | null): ApplyOptions => ({
  replan: (live) => planPeople(PEOPLE, live),
  actor,
  commit,
  lockTimeoutMs: 0,
  auditLog,
});

/** Starts an apply that the fake stops after `requests` requests, as a SIGKILL would; resolves once it has stopped. */
async function killedApply(provider: FakeHttpProvider, auditLog: string, requests: number): Promise<void> {
  provider.haltAfter = requests;
  void applyPlan(provider, options(auditLog, { name: 'first' }, 'c0ffee'));
  await provider.halted;
  provider.haltAfter = undefined;
}

const stepsOf = (auditLog: string) =>
  readTrail(auditLog)
    .events.map((e) => `${e.step} ${e.key}`)
    .sort();

describe('recovering an interrupted apply on a live system without an audit store', () => {
  it('records the changes it made before their events, with the first run’s time, actor and commit, and marks them recovered', async () => {
    const auditLog = `${tempTree()}/audit.jsonl`;
    const provider = new FakeHttpProvider();
    await killedApply(provider, auditLog, 2); // two users made, nothing recorded
    expect(readTrail(auditLog).events).toEqual([]);
    expect(openIntents(auditLog).map((o) => o.intents.length)).toEqual([3]);

    const rerun = await applyPlan(provider, options(auditLog, { name: 'second' }, 'beef'));
    const trail = readTrail(auditLog).events;
    expect(verifyChain(trail)).toEqual({ ok: true, count: 6 });
    expect(stepsOf(auditLog)).toEqual(ALL_STEPS);
    expect(rerun.recovery.recorded.map((e) => [e.seq, e.key, e.actor.name, e.commit, e.result])).toEqual([
      [1, 'user:ann@acme.test', 'first', 'c0ffee', 'applied'],
      [2, 'user:ben@acme.test', 'first', 'c0ffee', 'applied'],
    ]);
    for (const e of rerun.recovery.recorded) expect(Date.parse(e.recovered!)).toBeGreaterThanOrEqual(Date.parse(e.at));
    // The one announced and never sent is not an event: the rerun made it, as its own step.
    expect(rerun.recovery.notApplied.map((d) => d.key)).toEqual(['user:cid@acme.test']);
    expect(trail.filter((e) => e.recovered === undefined).map((e) => [e.key, e.actor.name])).toEqual([
      ['user:cid@acme.test', 'second'],
      ...PEOPLE.map((e) => [`membership:research:${e}`, 'second']),
    ]);
    expect(openIntents(auditLog)).toEqual([]);
  });

  it('records nothing for a kill between the intents and their requests; the rerun makes every change once', async () => {
    const auditLog = `${tempTree()}/audit.jsonl`;
    const provider = new FakeHttpProvider();
    await killedApply(provider, auditLog, 0);
    expect(provider.live.users).toEqual([]);
    const rerun = await applyPlan(provider, options(auditLog, { name: 'second' }, null));
    expect(rerun.recovery.recorded).toEqual([]);
    expect(rerun.recovery.notApplied).toHaveLength(3);
    expect(stepsOf(auditLog)).toEqual(ALL_STEPS);
    expect(verifyChain(readTrail(auditLog).events).ok).toBe(true);
  });

  it('records nothing again for intents whose events were written before the kill', async () => {
    const auditLog = `${tempTree()}/audit.jsonl`;
    const provider = new FakeHttpProvider();
    await killedApply(provider, auditLog, 4); // users phase recorded and cleared; one membership made
    const journal = intentJournal(auditLog, provider.target);
    const store = fileAuditStore(auditLog);
    // As if killed after writing the events and before clearing: the membership's event is in the trail, its intent still open.
    const open = journal.read();
    const made = open.filter((i) => provider.live.users.some((u) => u.email === (i.draft.after as { user: string }).user && u.workspaces.research));
    await store.append(made.map((i) => i.draft));
    const before = readTrail(auditLog).events.length;
    const recovery = await recoverIntents(journal, store, await provider.read());
    expect(recovery.recorded).toEqual([]);
    expect(readTrail(auditLog).events).toHaveLength(before);
    expect(existsSync(journal.path)).toBe(false);
  });

  it('a recovery killed after recording some events records each change once when it runs again', async () => {
    const auditLog = `${tempTree()}/audit.jsonl`;
    const provider = new FakeHttpProvider();
    await killedApply(provider, auditLog, 2);
    const journal = intentJournal(auditLog, provider.target);
    const store = fileAuditStore(auditLog);
    const killedBeforeClearing = {
      ...journal,
      clear: () => {
        throw new Error('killed');
      },
    };
    await expect(recoverIntents(killedBeforeClearing, store, await provider.read())).rejects.toThrow('killed');
    expect(stepsOf(auditLog)).toEqual(['user.create user:ann@acme.test', 'user.create user:ben@acme.test']);
    const again = await recoverIntents(journal, store, await provider.read());
    expect(again.recorded).toEqual([]);
    expect(again.notApplied.map((d) => d.key)).toEqual(['user:cid@acme.test']);
    expect(stepsOf(auditLog)).toEqual(['user.create user:ann@acme.test', 'user.create user:ben@acme.test']);
    await applyPlan(provider, options(auditLog, { name: 'second' }, null));
    expect(stepsOf(auditLog)).toEqual(ALL_STEPS);
  });

  it('leaves another live system’s intents alone', async () => {
    const auditLog = `${tempTree()}/audit.jsonl`;
    const scim = new FakeHttpProvider('https://one.test/scim');
    await killedApply(scim, auditLog, 2);
    const other = new FakeHttpProvider('https://two.test/scim');
    const result = await applyPlan(other, options(auditLog, { name: 'second' }, null));
    expect(result.recovery).toEqual({ recorded: [], notApplied: [] });
    expect(readdirSync(intentsDir(auditLog))).toHaveLength(1);
    expect(openIntents(auditLog).map((o) => [o.target, o.intents.length])).toEqual([['https://one.test/scim', 3]]);
  });
});
