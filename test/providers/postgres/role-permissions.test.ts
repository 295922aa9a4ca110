import { afterEach, beforeEach, expect, it } from 'vitest';
import { plan } from '../../../src/plan/index.ts';
import type { PostgresProvider } from '../../../src/providers/postgres/index.ts';
import { converge } from '../../helpers/apply.ts';
import { NOW, declare } from '../../helpers/declare.ts';
import { engines } from '../../helpers/store.ts';
import { describeEach } from '../../helpers/each.ts';

/** Keys deliberately not in alphabetical order, nor in jsonb's (shorter keys first) order. */
const AUDITOR = `
settings:
  organization: acme
organizations:
  - name: acme
roles:
  - name: owner
    owner: true
  - name: auditor
    description: Read-only analytics
    permissions:
      models: [view]
      analytics: [view, export]
      datasources: [view]
users:
  - email: olivia@acme.test
    role: owner
  - email: ann@acme.test
    role: auditor
`;

describeEach(engines())('role permissions on $name', (engine) => {
  let provider: PostgresProvider;
  beforeEach(async () => {
    provider = await engine.open();
  });
  afterEach(async () => {
    await provider.close();
  });

  it('a custom role with several permission resources converges: apply, then the plan is empty', async () => {
    const d = declare({ 'users/a.yaml': AUDITOR });
    await converge(provider, d);
    const live = await provider.read();
    expect(live.roles.find((r) => r.name === 'auditor')?.permissions).toEqual({ analytics: ['export', 'view'], datasources: ['view'], models: ['view'] });
    expect(plan(d, live, NOW).steps).toEqual([]);
  });

  it('permissions changed in the store in another key and action order are the same permissions; another action is a change', async () => {
    const d = declare({ 'users/a.yaml': AUDITOR });
    await converge(provider, d);
    await provider.client.query(
      `update roles set permissions = '{"models":["view"],"datasources":["view"],"analytics":["view","export"]}'::jsonb where name = 'auditor'`,
    );
    const reordered = await provider.read();
    expect(plan(d, reordered, NOW).steps).toEqual([]);
    await provider.client.query(
      `update roles set permissions = '{"models":["view"],"datasources":["view","edit"],"analytics":["view","export"]}'::jsonb where name = 'auditor'`,
    );
    expect(plan(d, await provider.read(), NOW).steps.map((s) => `${s.kind} ${s.key}`)).toEqual(['role.update role:auditor']);
  });

  it('the live fingerprint does not depend on the order the store returns keys and actions in', async () => {
    const d = declare({ 'users/a.yaml': AUDITOR });
    await converge(provider, d);
    const first = plan(d, await provider.read(), NOW).liveFingerprint;
    await provider.client.query(
      `update roles set permissions = '{"models":["view"],"datasources":["view"],"analytics":["view","export"]}'::jsonb where name = 'auditor'`,
    );
    expect(plan(d, await provider.read(), NOW).liveFingerprint).toBe(first);
  });
});
