import { cpSync } from 'node:fs';
import { expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.ts';
import { readTrail } from '../../src/audit/file.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { plan } from '../../src/plan/index.ts';
import { spawnCli } from '../helpers/cli.ts';
import { describeEach } from '../helpers/each.ts';
import { sharedStores, type SharedStore } from '../helpers/store.ts';
import { tempTree } from '../helpers/tree.ts';

const NOW = '2026-11-23T12:00:00Z';

const stores = sharedStores('roster_crash');

/** A copy of the example declaration in a fresh working directory. */
function workspace(): string {
  const cwd = tempTree();
  cpSync('users', `${cwd}/users`, { recursive: true });
  cpSync('schema', `${cwd}/schema`, { recursive: true });
  return cwd;
}

async function expectConverged(cwd: string, store: SharedStore): Promise<void> {
  const d = loadDeclaration(`${cwd}/users`, { now: new Date(NOW), cwd }).declaration!;
  const provider = await store.open();
  try {
    const live = await provider.read();
    expect(plan(d, live, new Date(NOW)).steps).toEqual([]);
    // Exactly once: every declared grant and every signup grant has one ledger row per receiving user.
    const { rows } = await provider.client.query<{ n: number; distinct_n: number }>('select count(*)::int as n, count(distinct (grant_id, user_email))::int as distinct_n from credit_ledger');
    expect(rows[0]!.n).toBe(rows[0]!.distinct_n);
    for (const c of d.credits) expect(live.grants.some((g) => g.id === c.id)).toBe(true);
    for (const u of d.users) expect(live.grants.filter((g) => g.id === `signup:${u.email}`)).toHaveLength(1);
    // The audit trail verifies and holds exactly one applied event per step that happened.
    const events = await provider.auditStore.events();
    expect(verifyChain(events).ok).toBe(true);
    const applied = events.filter((e) => e.result === 'applied').map((e) => `${e.step} ${e.key}`);
    expect(new Set(applied).size).toBe(applied.length);
    const file = readTrail(`${cwd}/.roster/audit.jsonl`).events;
    expect(verifyChain(file).ok).toBe(true);
    expect(file.map((e) => e.hash)).toEqual(events.map((e) => e.hash));
  } finally {
    await provider.close();
  }
}

describeEach(stores)('an apply killed half-way on $name', ({ make }) => {
  // Spread over the phases of the example plan (233 steps): roles, users, memberships, credits.
  it.each([5, 40, 150, 200])('converges when run again after SIGKILL at step %i', async (k) => {
    const cwd = workspace();
    const store = make(cwd);
    const killed = await spawnCli(['apply', '--yes', '--now', NOW], cwd, { ...store.env, ROSTER_FAILPOINT: `kill-after-step:${k}` });
    expect(killed.signal).toBe('SIGKILL');
    const rerun = await spawnCli(['apply', '--yes', '--now', NOW], cwd, store.env);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    await expectConverged(cwd, store);
    const again = await spawnCli(['plan', '--detailed-exitcode', '--now', NOW], cwd, store.env);
    expect(again.code).toBe(0);
  });
});

describeEach(stores)('concurrent runs on $name', ({ make }) => {
  it('two applies started together: one runs, the other is refused with a clear message', async () => {
    const cwd = workspace();
    const store = make(cwd);
    // Hold the first apply inside its run long enough for the second to arrive.
    const first = spawnCli(['apply', '--yes', '--now', NOW], cwd, { ...store.env });
    const second = spawnCli(['apply', '--yes', '--now', NOW], cwd, { ...store.env });
    const results = await Promise.all([first, second]);
    const codes = results.map((r) => r.code).sort();
    if (codes[0] === 0 && codes[1] === 0) {
      // On the server the lock is only held while applying: the later one found nothing left to do.
      expect(results.some((r) => r.stdout.includes('No changes.'))).toBe(true);
    } else {
      expect(codes).toEqual([0, 5]);
      expect(results.find((r) => r.code === 5)!.stderr).toMatch(/locked by another roster (run|apply)/);
    }
    await expectConverged(cwd, store);
  });

  it('with --lock-timeout the second waits, re-reads and finds nothing to do', async () => {
    const cwd = workspace();
    const store = make(cwd);
    const results = await Promise.all([0, 1].map(() => spawnCli(['apply', '--yes', '--lock-timeout', '120s', '--now', NOW], cwd, store.env)));
    expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    await expectConverged(cwd, store);
  });
});
