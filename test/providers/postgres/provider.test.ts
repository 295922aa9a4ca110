import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyChain } from '../../../src/audit/chain.ts';
import { loadDeclaration } from '../../../src/declaration/index.ts';
import { LockedError } from '../../../src/errors.ts';
import { plan } from '../../../src/plan/index.ts';
import type { PostgresProvider } from '../../../src/providers/postgres/index.ts';
import { redactUrl } from '../../../src/providers/postgres/index.ts';
import { migrate } from '../../../src/providers/postgres/migrations.ts';
import { ALLOW_ALL, converge } from '../../helpers/apply.ts';
import { BASE, NOW, declare } from '../../helpers/declare.ts';
import { describeEach, describeUnless } from '../../helpers/each.ts';
import { engines, SERVER_SKIP, SERVER_URL, serverEngine } from '../../helpers/store.ts';

const example = () => {
  const r = loadDeclaration('users', { now: NOW });
  if (!r.declaration) throw new Error('example declaration invalid');
  return r.declaration;
};

describeEach(engines())('postgres provider on $name', (engine) => {
  let provider: PostgresProvider;
  beforeEach(async () => {
    provider = await engine.open();
  });
  afterEach(async () => {
    await provider.close();
  });

  it('applies the example declaration and then plans nothing', async () => {
    const d = example();
    const result = await converge(provider, d);
    expect(result.outcomes.every((o) => o.result === 'applied')).toBe(true);
    expect(plan(d, await provider.read(), NOW).steps).toEqual([]);

    const live = await provider.read();
    expect(live.users).toHaveLength(d.users.length);
    const declaredMemberships = d.users.flatMap((u) => Object.entries(u.workspaces ?? {}).map(([w, r]) => `${w}:${u.email}:${r}`)).sort();
    expect(live.users.flatMap((u) => Object.entries(u.workspaces).map(([w, r]) => `${w}:${u.email}:${r}`)).sort()).toEqual(declaredMemberships);
    expect(live.users.filter((u) => u.status === 'active')).toEqual([]); // everyone starts invited
  });

  it('reads back any text exactly: tabs, line breaks, backslashes, a literal \\N, quotes and emoji (COPY text format)', async () => {
    const names = ['tab\there', 'two\nlines\n', 'back\\slash \\N', '\\N', 'a"b\'c', 'Zoë 😀'];
    const yamlString = (s: string) => JSON.stringify(s).replace(/\\u([0-9a-f]{4})/g, (_, h: string) => `\\u${h}`);
    const people = names.map((n, i) => `  - { email: p${i}@acme.test, role: member, name: ${yamlString(n)}, department: ${yamlString(n)} }`).join('\n');
    const d = declare({ 'users/a.yaml': `${BASE}${people}\n` });
    await converge(provider, d);
    const live = await provider.read();
    expect(names.map((_, i) => live.users.find((u) => u.email === `p${i}@acme.test`)).map((u) => [u?.name, u?.department])).toEqual(names.map((n) => [n, n]));
    expect(plan(d, live, NOW).steps).toEqual([]);
    // Controls a declaration refuses can still be in a store edited by hand: they read back exactly too.
    const controls = ['two\r\nlines', '\b\f\v\u0001'];
    for (const [i, c] of controls.entries())
      await provider.client.query('update users set name = $1, department = $1 where email = $2', [c, `p${i}@acme.test`]);
    const edited = await provider.read();
    expect(controls.map((_, i) => edited.users.find((u) => u.email === `p${i}@acme.test`)).map((u) => [u?.name, u?.department])).toEqual(
      controls.map((c) => [c, c]),
    );
  });

  it('records one audit event per step, in the same transaction, with an intact chain', async () => {
    const result = await converge(provider, declare({ 'users/a.yaml': BASE }));
    const events = await provider.auditStore.events();
    expect(events.map((e) => e.key)).toEqual(result.outcomes.map((o) => o.step.key));
    expect(verifyChain(events)).toEqual({ ok: true, count: events.length });
    await provider.client.query(`update audit_events set event = jsonb_set(event, '{reason}', '"edited"') where seq = 3`);
    expect(verifyChain(await provider.auditStore.events())).toMatchObject({ ok: false, firstBad: 3 });
  });

  it('reads the audit trail in pages: every event once, in order, from any point', async () => {
    const drafts = Array.from({ length: 4500 }, (_, i) => ({
      at: NOW.toISOString(),
      step: 'user.update',
      key: `user:p${i}@acme.test`,
      before: null,
      after: null,
      reason: 'r',
      source: 's',
      actor: { name: 't' },
      commit: null,
      result: 'applied' as const,
    }));
    await provider.auditStore.append(drafts);
    const all = await provider.auditStore.events();
    expect(all.map((e) => e.seq)).toEqual(drafts.map((_, i) => i + 1));
    expect(verifyChain(all)).toEqual({ ok: true, count: 4500 });
    expect((await provider.auditStore.events(1999)).map((e) => e.seq)).toEqual(all.slice(1999).map((e) => e.seq));
    expect(await provider.auditStore.events(4500)).toEqual([]);
  });

  it('repeating a batch changes nothing twice (idempotent steps, exactly-once grants)', async () => {
    const d = declare({
      'users/a.yaml':
        BASE.replace('organization: acme', 'organization: acme\n  policies: { signupCredits: 100 }') +
        'credits:\n  - { id: promo, to: { all: true }, amount: 25, reason: Launch }\n',
    });
    const steps = plan(d, await provider.read(), NOW).steps;
    const draft = () => ({
      at: NOW.toISOString(),
      step: 'x',
      key: 'x',
      before: null,
      after: null,
      reason: 'r',
      source: 's',
      actor: { name: 't' },
      commit: null,
      result: 'applied' as const,
    });
    await provider.applyBatch(steps, draft);
    await provider.applyBatch(steps, draft);
    const { rows } = await provider.client.query<{ grant_id: string; n: number }>(
      'select grant_id, count(*)::int as n from credit_ledger group by grant_id order by grant_id',
    );
    expect(rows).toEqual([
      { grant_id: 'promo', n: 3 },
      { grant_id: 'signup:alice@acme.test', n: 1 },
      { grant_id: 'signup:bob@acme.test', n: 1 },
      { grant_id: 'signup:olivia@acme.test', n: 1 },
    ]);
    expect(plan(d, await provider.read(), NOW).steps).toEqual([]);
  });

  it('renames a workspace keeping its members, transfers and deletes users keeping anonymised ledger rows', async () => {
    await converge(provider, declare({ 'users/a.yaml': BASE + 'credits:\n  - { id: gift, to: bob@acme.test, amount: 10, reason: Welcome gift }\n' }));
    const renamed = BASE.replace('  - name: analytics\n', '  - name: insights\n    previously: [analytics]\n').replace(
      '{ analytics: member }',
      '{ insights: member }',
    );
    await converge(provider, declare({ 'users/a.yaml': renamed }));
    let live = await provider.read();
    expect(live.users.find((u) => u.email === 'bob@acme.test')!.workspaces).toEqual({ insights: 'member' });

    const withoutBob = renamed.replace(/ {2}- email: bob@acme.test[\s\S]*$/, '').replace('organization: acme', 'organization: acme\n  removal: delete');
    await converge(provider, declare({ 'users/a.yaml': withoutBob }), ALLOW_ALL);
    live = await provider.read();
    expect(live.users.map((u) => u.email)).not.toContain('bob@acme.test');
    // Keyed: the pseudonym is an HMAC under the store's own secret (an independent computation here), not a hash anyone can recompute from the address.
    const { rows } = await provider.client.query<{ value: string }>(`select value from roster_secrets where name = 'pseudonym-key'`);
    const keyed = `deleted:${createHmac('sha256', Buffer.from(rows[0]!.value, 'hex')).update('bob@acme.test').digest('hex').slice(0, 32)}`;
    expect(keyed).not.toContain(createHash('sha256').update('bob@acme.test').digest('hex').slice(0, 16));
    const gift = live.grants.find((g) => g.id === 'gift')!;
    expect({ target: gift.target, entries: gift.entries }).toEqual({ target: keyed, entries: [{ user: keyed, amount: 10 }] });
    const mentions = await provider.client.query<{ n: number }>(
      `select ((select count(*) from credit_ledger where user_email like '%bob@%') + (select count(*) from credit_grants where target::text like '%bob@%') + (select count(*) from packages where created_by like '%bob@%'))::int as n`,
    );
    expect(mentions.rows[0]!.n).toBe(0);

    // Declared again, bob is a new account: no collision with the pseudonymous rows, and the plan converges.
    const bobAgain = withoutBob + '  - email: bob@acme.test\n    role: member\n';
    await converge(provider, declare({ 'users/a.yaml': bobAgain }), ALLOW_ALL);
    expect(plan(declare({ 'users/a.yaml': bobAgain }), await provider.read(), NOW).steps).toEqual([]);
    expect((await provider.read()).grants.find((g) => g.id === 'gift')!.entries).toEqual([{ user: keyed, amount: 10 }]);
  });

  it("a deleted person's signup grant no longer names them, and stays paid exactly once, also when a migration renames it", async () => {
    const withSignup = BASE.replace('organization: acme', 'organization: acme\n  policies: { signupCredits: 100 }');
    await converge(provider, declare({ 'users/a.yaml': withSignup }));
    const withoutBob = withSignup.replace(/ {2}- email: bob@acme.test[\s\S]*$/, '').replace('organization: acme', 'organization: acme\n  removal: delete');
    await converge(provider, declare({ 'users/a.yaml': withoutBob }), ALLOW_ALL);
    expect(plan(declare({ 'users/a.yaml': withoutBob }), await provider.read(), NOW).steps).toEqual([]);
    const { rows: key } = await provider.client.query<{ value: string }>(`select value from roster_secrets where name = 'pseudonym-key'`);
    const hex = createHmac('sha256', Buffer.from(key[0]!.value, 'hex')).update('bob@acme.test').digest('hex').slice(0, 32);
    // Sorted here, not by SQL: the pseudonym is random per store and the database's collation is not code-unit order.
    const byGrant = <R extends { grant_id: string }>(rows: R[]) => [...rows].sort((x, y) => (x.grant_id < y.grant_id ? -1 : x.grant_id > y.grant_id ? 1 : 0));
    const ledger = async () =>
      byGrant(
        (
          await provider.client.query<{ grant_id: string; user_email: string; amount: number }>(
            'select grant_id, user_email, amount::int as amount from credit_ledger',
          )
        ).rows,
      );
    const paidOnce = byGrant([
      { grant_id: `signup:${hex}`, user_email: `deleted:${hex}`, amount: 100 },
      { grant_id: 'signup:alice@acme.test', user_email: 'alice@acme.test', amount: 100 },
      { grant_id: 'signup:olivia@acme.test', user_email: 'olivia@acme.test', amount: 100 },
    ]);
    expect(await ledger()).toEqual(paidOnce);
    const mentions = await provider.client.query<{ n: number }>(
      `select ((select count(*) from credit_grants where id like '%bob@%' or target::text like '%bob@%') + (select count(*) from credit_ledger where grant_id like '%bob@%' or user_email like '%bob@%'))::int as n`,
    );
    expect(mentions.rows[0]!.n).toBe(0);

    // A store whose person was deleted before migration 6: the legacy signup:<email> is renamed by the migration, not paid again.
    await provider.client.exec(
      `update credit_grants set id = 'signup:bob@acme.test' where id = 'signup:${hex}'; delete from roster_migrations where version = 6`,
    );
    await migrate(provider.client);
    expect(await ledger()).toEqual(paidOnce);
    expect(plan(declare({ 'users/a.yaml': withoutBob }), await provider.read(), NOW).steps).toEqual([]);
  });

  it('migrating rekeys the unsalted pseudonyms of people deleted before, in the ledger and in grant targets', async () => {
    const legacy = `deleted:${createHash('sha256').update('gone@acme.test').digest('hex').slice(0, 16)}`;
    await provider.client.exec(`delete from roster_migrations where version = 4; drop table roster_secrets`);
    await provider.client.query(`insert into credit_grants (id, target, amount, kind, reason) values ('old-gift', '"gone@acme.test"', 5, 'awarded', 'r')`);
    await provider.client.query(`insert into credit_ledger (grant_id, user_email, amount, kind) values ('old-gift', $1, 5, 'awarded')`, [legacy]);
    await migrate(provider.client);
    const { rows } = await provider.client.query<{ value: string }>(`select value from roster_secrets where name = 'pseudonym-key'`);
    const rekeyed = `deleted:${createHmac('sha256', Buffer.from(rows[0]!.value, 'hex')).update(legacy).digest('hex').slice(0, 32)}`;
    const grant = (await provider.read()).grants.find((g) => g.id === 'old-gift')!;
    expect({ target: grant.target, entries: grant.entries }).toEqual({ target: rekeyed, entries: [{ user: rekeyed, amount: 5 }] });
  });

  it('enforces the seed-001 package rule for database users: admin OR creator OR assigned', async () => {
    const d = declare({
      'users/a.yaml':
        BASE.replace('  - email: bob@acme.test', '  - email: carol@acme.test\n    role: member\n    packages: [billing]\n  - email: bob@acme.test') +
        'packages:\n  - { name: billing, createdBy: bob@acme.test }\n  - { name: search }\n  - { name: secret-sauce }\n',
    });
    await converge(provider, d);
    const visible = async (email: string) =>
      provider.client.transaction(async (tx) => {
        await tx.exec('set local role roster_app');
        await tx.query(`select set_config('roster.user', $1, true)`, [email]);
        return (await tx.query<{ name: string }>('select name from packages order by name')).rows.map((r) => r.name);
      });
    expect(await visible('alice@acme.test')).toEqual(['billing', 'search', 'secret-sauce']); // admin
    expect(await visible('bob@acme.test')).toEqual(['billing']); // creator
    expect(await visible('carol@acme.test')).toEqual(['billing']); // assigned
    expect(await visible('nobody@acme.test')).toEqual([]);
  });
});

describeUnless(SERVER_SKIP, 'postgres server specifics', () => {
  it('takes an advisory lock for applies: a second apply is refused while one runs', async () => {
    const engine = serverEngine(SERVER_URL!);
    const a = await engine.open();
    try {
      const release = await a.lock(0);
      await expect(a.lock(0)).rejects.toThrow(LockedError);
      await release();
      const again = await a.lock(0);
      await again();
    } finally {
      await a.close();
    }
  });

  it('never shows the password of a connection URL', () => {
    expect(redactUrl('postgres://roster:hunter2@db.internal:5432/app?sslpassword=x')).toBe('postgres://roster:***@db.internal:5432/app?sslpassword=***');
  });
});
