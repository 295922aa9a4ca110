import { cpSync, mkdirSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/chain.ts';
import { readTrail } from '../../src/audit/file.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import type { Declaration } from '../../src/model/declaration.ts';
import { plan } from '../../src/plan/index.ts';
import { byPhase, PHASES, phaseOf } from '../../src/plan/order.ts';
import type { Plan } from '../../src/model/plan.ts';
import type { SqlClient } from '../../src/providers/postgres/sql.ts';
import { ALLOW_ALL } from '../helpers/apply.ts';
import { spawnCli, spawnCliKilledAt } from '../helpers/cli.ts';
import { describeEach } from '../helpers/each.ts';
import { sharedStores, type SharedStore } from '../helpers/store.ts';
import { tempTree, writeTree } from '../helpers/tree.ts';
import { BEFORE, AFTER, UNMANAGED_SQL } from './kill-matrix.fixtures.ts';

/**
 * The kill matrix: an apply of a plan holding every step kind is SIGKILLed
 * after step k, then run again, for a k inside each phase of the plan (every
 * k with ROSTER_KILL_POINTS=all). A phase is one transaction on the store, so
 * a kill anywhere inside it leaves the same state: one point per phase
 * reaches every state a kill can leave. Each rerun must converge, with every
 * credit grant in the ledger exactly once and an audit trail that verifies
 * and records exactly the steps of the plan, each once.
 */
const NOW = '2026-11-23T12:00:00Z';
const FLAGS = ['--allow-delete', '--allow-mass-removal', '--allow-owner-change'];
const SLOW = process.env.ROSTER_SLOW_TESTS === '1';
const ALL_POINTS = process.env.ROSTER_KILL_POINTS === 'all';

/** Steps after which to kill (1-based, in the order the apply runs them): every one, or the middle step of each phase. */
function killPoints(p: Plan): number[] {
  if (ALL_POINTS) return p.steps.map((_, i) => i + 1);
  const points: number[] = [];
  let before = 0;
  for (const phase of byPhase(p.steps)) {
    points.push(before + Math.ceil(phase.length / 2));
    before += phase.length;
  }
  return points;
}

/** The phase the apply is in when it has run k steps: an oracle over the steps in phase order, apart from killPoints. */
const phaseAt = (p: Plan, k: number) => phaseOf([...p.steps].sort((a, b) => phaseOf(a.kind) - phaseOf(b.kind))[k - 1]!.kind);

const load = (cwd: string): Declaration => loadDeclaration('users', { now: new Date(NOW), cwd }).declaration!;

async function prepare(cwd: string, store: SharedStore): Promise<void> {
  writeTree(cwd, { 'users/all.yaml': BEFORE });
  const first = await spawnCli(['apply', '--yes', ...FLAGS, '--now', NOW], cwd, store.env);
  expect(first.code, first.stderr).toBe(0);
  const provider = await store.open();
  try {
    await provider.client.exec(UNMANAGED_SQL);
  } finally {
    await provider.close();
  }
  writeTree(cwd, { 'users/all.yaml': AFTER });
}

async function expectConverged(cwd: string, store: SharedStore, expected: Plan, eventsBefore: number): Promise<void> {
  const d = load(cwd);
  const provider = await store.open();
  try {
    const live = await provider.read();
    expect(plan(d, live, new Date(NOW), ALLOW_ALL).steps).toEqual([]);
    const ledger = await (provider.client as SqlClient).query<{ grant_id: string; n: number }>(
      'select grant_id, count(*)::int as n from credit_ledger group by grant_id, user_email having count(*) > 1',
    );
    expect(ledger.rows).toEqual([]);
    for (const step of expected.steps.filter((s) => s.kind === 'credit.grant')) {
      const grant = live.grants.find((g) => g.id === step.after!.id);
      expect(grant?.entries.length).toBe((step.after!.entries as unknown[]).length);
    }
    const events = await provider.auditStore.events();
    expect(verifyChain(events).ok).toBe(true);
    const applied = events
      .slice(eventsBefore)
      .filter((e) => e.result === 'applied')
      .map((e) => `${e.step} ${e.key}`);
    expect(applied.sort()).toEqual(expected.steps.map((s) => `${s.kind} ${s.key}`).sort());
    const trail = readTrail(`${cwd}/.roster/audit.jsonl`).events;
    expect(verifyChain(trail).ok).toBe(true);
    expect(trail.map((e) => e.hash)).toEqual(events.map((e) => e.hash));
  } finally {
    await provider.close();
  }
}

const SLOW_SKIP = 'slow: ROSTER_SLOW_TESTS=1 (npm run test:slow) runs it';
const engines = sharedStores('roster_kill').map((e) => (SLOW ? e : { ...e, skip: SLOW_SKIP }));

describeEach(engines)('kill matrix on $name', ({ make: makeStore, embedded: template }) => {
  let templateDir = '';
  let expected: Plan;
  let eventsBefore = 0;
  beforeAll(async () => {
    templateDir = tempTree();
    const store = makeStore(templateDir);
    await prepare(templateDir, store);
    const provider = await store.open();
    try {
      expected = plan(load(templateDir), await provider.read(), new Date(NOW), ALLOW_ALL);
      eventsBefore = (await provider.auditStore.events()).length;
    } finally {
      await provider.close();
    }
  }, 120_000);

  it('the plan holds at least 50 steps, of every kind', () => {
    const kinds = new Set(expected.steps.map((s) => s.kind));
    expect(expected.steps.length).toBeGreaterThanOrEqual(50);
    expect([...kinds].sort()).toEqual([...PHASES.flat()].sort());
  });

  it('kills inside every phase the plan has', () => {
    const phases = new Set(expected.steps.map((s) => phaseOf(s.kind)));
    expect(phases.size).toBe(PHASES.length);
    expect(new Set(killPoints(expected).map((k) => phaseAt(expected, k)))).toEqual(phases);
  });

  it(
    'converges after a SIGKILL at every kill point',
    async () => {
      const points = killPoints(expected);
      for (const k of points) {
        const cwd = tempTree();
        let store: SharedStore;
        if (template) {
          cpSync(`${templateDir}/users`, `${cwd}/users`, { recursive: true });
          mkdirSync(`${cwd}/.roster`, { recursive: true });
          cpSync(`${templateDir}/.roster`, `${cwd}/.roster`, { recursive: true, filter: (src) => !src.endsWith('.lock') });
          store = makeStore(cwd);
        } else {
          store = makeStore(cwd);
          await prepare(cwd, store);
        }
        const killed = await spawnCliKilledAt(`kill-after-step:${k}`, ['apply', '--yes', ...FLAGS, '--now', NOW], cwd, store.env);
        expect(killed.signal, `kill point ${k}: ${killed.stderr}`).toBe('SIGKILL');
        const rerun = await spawnCli(['apply', '--yes', ...FLAGS, '--now', NOW], cwd, store.env);
        expect(rerun.code, `kill point ${k}: ${rerun.stderr}`).toBe(0);
        await expectConverged(cwd, store, expected, eventsBefore);
      }
      console.info(`kill matrix: ${points.length} kill points over a ${expected.steps.length}-step plan converged`);
    },
    ALL_POINTS ? 4 * 3_600_000 : 900_000,
  );
});
