import { afterEach, beforeEach, expect, it } from 'vitest';
import { plan } from '../../src/plan/index.ts';
import type { PostgresProvider } from '../../src/providers/postgres/index.ts';
import { converge } from '../helpers/apply.ts';
import { NOW, declare } from '../helpers/declare.ts';
import { describeEach } from '../helpers/each.ts';
import { engines } from '../helpers/store.ts';

/**
 * Department and email-list grants on a real store: paid once to whom they
 * reach when first applied, then sealed — someone joining the department
 * later is not paid by it, and no run pays any grant twice.
 */
const HEAD = `
settings:
  organization: acme
organizations:
  - name: acme
roles:
  - { name: owner, owner: true }
  - { name: member }
`;

const people = (extra: string) => `${HEAD}users:
  - { email: olivia@acme.test, role: owner, department: Sales }
  - { email: dan@acme.test, role: member, department: Sales, status: inactive }
${extra}`;

const GRANTS = `credits:
  - { id: q1-sales, to: { department: Sales }, amount: 10, reason: Q1 sales bonus }
  - { id: helpers, to: [bob@acme.test, olivia@acme.test], amount: 5, kind: purchased, reason: Bought for the helpers }
`;

/** Every ledger row, as grant id -> users paid (sorted), with the amount each got. */
async function ledger(store: PostgresProvider): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const g of (await store.read()).grants) out[g.id] = g.entries.map((e) => `${e.user} ${e.amount}`).sort();
  return out;
}

describeEach(engines())('department and email-list grants on $name', (engine) => {
  let store: PostgresProvider;
  beforeEach(async () => {
    store = await engine.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('pays each grant once, and a later joiner of the department is not paid by a sealed grant', { timeout: 60_000 }, async () => {
    const first = declare({
      'users/a.yaml': people(
        `  - { email: carol@acme.test, role: member, department: Sales }\n  - { email: bob@acme.test, role: member, department: Support }\n${GRANTS}`,
      ),
    });
    await converge(store, first);
    expect(await ledger(store)).toEqual({
      'q1-sales': ['carol@acme.test 10', 'olivia@acme.test 10'],
      helpers: ['bob@acme.test 5', 'olivia@acme.test 5'],
    });
    expect((await store.read()).grants.find((g) => g.id === 'helpers')!.target).toEqual(['bob@acme.test', 'olivia@acme.test']);
    expect(plan(first, await store.read(), NOW).steps).toEqual([]);

    // Bob moves to Sales, eve joins it, carol's department is no longer declared (the live one, Sales, stands):
    // q1-sales is sealed; a new department grant reaches all four active members.
    const later = declare({
      'users/a.yaml': people(
        `  - { email: carol@acme.test, role: member }\n  - { email: bob@acme.test, role: member, department: Sales }\n  - { email: eve@acme.test, role: member, department: Sales }\n${GRANTS}  - { id: q2-sales, to: { department: Sales }, amount: 3, reason: Q2 sales bonus }\n`,
      ),
    });
    const steps = plan(later, await store.read(), NOW).steps.map((s) => `${s.kind} ${s.key}`);
    expect(steps).toEqual(expect.arrayContaining(['user.create user:eve@acme.test', 'user.update user:bob@acme.test', 'credit.grant credit:q2-sales']));
    expect(steps.filter((s) => s.startsWith('credit.grant'))).toEqual(['credit.grant credit:q2-sales']);
    await converge(store, later);
    expect(await ledger(store)).toEqual({
      'q1-sales': ['carol@acme.test 10', 'olivia@acme.test 10'],
      'q2-sales': ['bob@acme.test 3', 'carol@acme.test 3', 'eve@acme.test 3', 'olivia@acme.test 3'],
      helpers: ['bob@acme.test 5', 'olivia@acme.test 5'],
    });
    expect(plan(later, await store.read(), NOW).steps).toEqual([]);
    // Converging again changes nothing: no grant is paid twice.
    await converge(store, later);
    expect(Object.values(await ledger(store)).flat()).toHaveLength(8);
  });

  it('refuses to change an applied list, whatever the edit', { timeout: 60_000 }, async () => {
    const d = declare({ 'users/a.yaml': people(`  - { email: bob@acme.test, role: member }\n${GRANTS}`) });
    await converge(store, d);
    const grown = declare({
      'users/a.yaml': people(
        `  - { email: bob@acme.test, role: member }\n${GRANTS.replace('[bob@acme.test, olivia@acme.test]', '[bob@acme.test, olivia@acme.test, dan@acme.test]')}`,
      ),
    });
    expect(plan(grown, await store.read(), NOW).problems.map((p) => p.code)).toEqual(['credit.immutable']);
  });
});
