import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyChain } from '../../../src/audit/chain.ts';
import type { AuditDraft } from '../../../src/model/audit.ts';
import { plan } from '../../../src/plan/index.ts';
import { phaseOf } from '../../../src/plan/order.ts';
import type { Step } from '../../../src/model/plan.ts';
import type { PostgresProvider } from '../../../src/providers/postgres/index.ts';
import { BASE, NOW, declare } from '../../helpers/declare.ts';
import { describeEach } from '../../helpers/each.ts';
import { engines } from '../../helpers/store.ts';

/** BASE with enough people, memberships, assignments and grants for runs of every set-based kind. */
const MANY = declare({
  'users/a.yaml':
    BASE.replace('organization: acme', 'organization: acme\n  policies: { signupCredits: 25 }') +
    Array.from(
      { length: 12 },
      (_, i) =>
        `  - { email: p${i}@acme.test, role: member, status: ${i % 4 === 3 ? 'inactive' : 'active'}, workspaces: { analytics: ${i % 2 ? 'viewer' : 'admin'} }, packages: [core], projects: [apollo] }\n`,
    ).join('') +
    'packages:\n  - name: core\nprojects:\n  - { name: apollo, owner: alice@acme.test }\n' +
    'credits:\n' +
    Array.from({ length: 5 }, (_, i) => `  - { id: g${i}, to: p${i}@acme.test, amount: ${10 + i}, reason: Welcome }\n`).join('') +
    '  - { id: members, to: { role: member }, amount: 5, kind: purchased, reason: Everyone }\n',
});

const draft = (step: Step): AuditDraft => ({
  at: NOW.toISOString(),
  step: step.kind,
  key: step.key,
  before: step.before,
  after: step.after,
  reason: step.reason,
  source: step.source,
  actor: { name: 'test' },
  commit: null,
  result: 'applied',
});

/** Everything the store holds, in a stable order. */
async function contents(p: PostgresProvider) {
  const rows = async (sql: string) => (await p.client.query(sql)).rows;
  return {
    live: await p.read(),
    invitations: await rows('select email, invitation_key, sent_count from invitations order by email'),
    ledger: await rows('select grant_id, user_email, amount::float8 as amount, kind from credit_ledger order by grant_id, user_email'),
    events: (await p.auditStore.events()).map((e) => [e.seq, e.step, e.key, e.result]),
  };
}

describeEach(engines())('set-based batches on $name', (engine) => {
  let batched: PostgresProvider;
  let oneByOne: PostgresProvider;
  beforeEach(async () => {
    batched = await engine.open();
    oneByOne = await engine.open();
  });
  afterEach(async () => {
    await batched.close();
    await oneByOne.close();
  });

  it('leave the store exactly as writing one step at a time does, with one chained event per step', async () => {
    const steps = plan(MANY, await batched.read(), NOW).steps;
    const kinds = new Set(steps.map((s) => s.kind));
    for (const kind of ['user.create', 'membership.set', 'project.assign', 'package.assign', 'credit.grant']) expect(kinds).toContain(kind);

    await batched.applyBatch(steps, draft);
    for (const step of steps) await oneByOne.applyBatch([step], draft);

    const a = await contents(batched);
    expect(a).toEqual(await contents(oneByOne));
    expect(a.events.map(([, , key]) => key)).toEqual(steps.map((s) => s.key));
    expect(verifyChain(await batched.auditStore.events())).toEqual({ ok: true, count: steps.length });
    expect(plan(MANY, a.live, NOW).steps).toEqual([]);
  });

  it('are idempotent: the same batch again changes nothing and pays no grant twice', async () => {
    const steps = plan(MANY, await batched.read(), NOW).steps;
    await batched.applyBatch(steps, draft);
    const before = await contents(batched);
    await batched.applyBatch(steps, draft);
    const after = await contents(batched);
    expect({ ...after, events: after.events.length }).toEqual({ ...before, events: before.events.length * 2 });
  });

  it('are all or nothing: one bad row rolls back the batch and its events', async () => {
    const steps = plan(MANY, await batched.read(), NOW).steps;
    await batched.applyBatch(
      steps.filter((s) => phaseOf(s.kind) < phaseOf('membership.set')),
      draft,
    );
    const memberships = steps.filter((s) => s.kind === 'membership.set');
    const broken = memberships.map((s, i) => (i === 2 ? { ...s, after: { ...s.after, workspace: 'no-such-workspace' } } : s));
    const before = await contents(batched);
    await expect(batched.applyBatch(broken, draft)).rejects.toThrow(/foreign key|violates/);
    expect(await contents(batched)).toEqual(before);
  });
});
