import { cpSync } from 'node:fs';
import { expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.ts';
import { readTrail } from '../../src/audit/file.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import { plan } from '../../src/plan/index.ts';
import { byPhase } from '../../src/plan/order.ts';
import type { Plan, StepKind } from '../../src/model/plan.ts';
import { emptyLiveState } from '../../src/model/live.ts';
import { runCli, spawnCli, spawnCliKilledAt } from '../helpers/cli.ts';
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
    const { rows } = await provider.client.query<{ n: number; distinct_n: number }>(
      'select count(*)::int as n, count(distinct (grant_id, user_email))::int as distinct_n from credit_ledger',
    );
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

/** The example's plan on an empty store: what the first apply in a fresh workspace runs. */
function examplePlan(): Plan {
  const d = loadDeclaration('users', { now: new Date(NOW), cwd: process.cwd() }).declaration!;
  // A fresh postgres store records the default guard settings, so the example's own guards are a step.
  return plan(d, { ...emptyLiveState(), guards: {} }, new Date(NOW));
}

/** The middle step (1-based, in the order the apply runs them) of the phase that holds `kind`. */
function middleOf(p: Plan, kind: StepKind): number {
  const phases = byPhase(p.steps);
  const at = phases.findIndex((steps) => steps.some((s) => s.kind === kind));
  expect(at, `the example plans no ${kind}`).toBeGreaterThanOrEqual(0);
  return phases.slice(0, at).reduce((n, steps) => n + steps.length, 0) + Math.ceil(phases[at]!.length / 2);
}

describeEach(stores)('an apply killed half-way on $name', ({ make }) => {
  // The phases most of the example's steps are in; the kill matrix (slow tests) covers every phase of every step kind.
  it.each<StepKind>(['role.create', 'user.create', 'membership.set', 'credit.grant'])(
    'converges when run again after SIGKILL inside the phase of %s',
    async (kind) => {
      const k = middleOf(examplePlan(), kind);
      const cwd = workspace();
      const store = make(cwd);
      const killed = await spawnCliKilledAt(`kill-after-step:${k}`, ['apply', '--yes', '--now', NOW], cwd, store.env);
      expect(killed.signal).toBe('SIGKILL');
      const rerun = await spawnCli(['apply', '--yes', '--progress', 'never', '--now', NOW], cwd, store.env);
      expect(rerun.stderr).toBe('');
      expect(rerun.code).toBe(0);
      await expectConverged(cwd, store);
      const again = await spawnCli(['plan', '--detailed-exitcode', '--now', NOW], cwd, store.env);
      expect(again.code).toBe(0);
    },
  );
});

describeEach(stores)('concurrent runs on $name', ({ make }) => {
  it('two applies at once: the one holding the lock runs, the other is refused with a clear message', async () => {
    const cwd = workspace();
    const store = make(cwd);
    // The first apply holds the lock while it asks for confirmation (in this process, on a pretend terminal) until the second is done.
    let asked!: () => void;
    const asking = new Promise<void>((resolve) => (asked = resolve));
    let confirm!: (answer: string) => void;
    const confirmed = new Promise<string>((resolve) => (confirm = resolve));
    const first = runCli(['apply', '--progress', 'never', '--now', NOW], cwd, store.env, () => {
      asked();
      return confirmed;
    });
    await asking;
    const second = await spawnCli(['apply', '--yes', '--now', NOW], cwd, store.env);
    confirm('yes');
    const winner = await first;
    expect(second.code).toBe(5);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(
      /^Error: (the store .* is locked by another roster run \(pid \d+\)|the PostgreSQL store is locked by another roster apply); wait for it, or pass --lock-timeout\n$/,
    );
    expect(winner.stderr).toBe('');
    expect(winner.code).toBe(0);
    expect(winner.stdout).toContain(`Apply complete: ${examplePlan().steps.length} applied, 0 failed, 0 skipped`);
    await expectConverged(cwd, store);
  });

  it('with --lock-timeout the second waits, re-reads and finds nothing to do', async () => {
    const cwd = workspace();
    const store = make(cwd);
    const results = await Promise.all([0, 1].map(() => spawnCli(['apply', '--yes', '--lock-timeout', '120s', '--now', NOW], cwd, store.env)));
    expect(
      results.map((r) => r.code),
      results.map((r) => r.stderr).join('\n'),
    ).toEqual([0, 0]);
    await expectConverged(cwd, store);
  });
});
