import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { NOW } from '../helpers/declare.ts';
import { describeEach } from '../helpers/each.ts';
import { sharedStores } from '../helpers/store.ts';
import { tempTree } from '../helpers/tree.ts';

/** A name a spreadsheet would run as a formula, a department, grants of both kinds. */
const DECLARATION = `settings:
  organization: acme
organizations:
  - name: acme
roles:
  - { name: owner, owner: true }
  - { name: member }
workspaces:
  - name: analytics
users:
  - { email: olivia@acme.test, role: owner }
  - { email: bob@acme.test, name: '=HYPERLINK("http://x.test")', role: member, department: Sales, workspaces: { analytics: member } }
credits:
  - { id: launch, to: { all: true }, amount: 10, reason: Launch promotion }
  - { id: bought, to: bob@acme.test, amount: 40, kind: purchased, reason: Bought a pack }
  - { id: correction, to: [bob@acme.test], amount: -5, kind: purchased, reason: Correction }
`;
const AT = ['--now', NOW.toISOString()];

describeEach(sharedStores('roster_users'))('roster users on $name', (kind) => {
  it('shows who has what, filtered, as text, json and csv (formulas neutralised), and writes nothing', { timeout: 300_000 }, async () => {
    const cwd = tempTree({ 'users/people.yaml': DECLARATION });
    const store = kind.make(cwd);
    expect(await runCli(['apply', '--yes', ...AT], cwd, store.env)).toMatchObject({ code: 0 });
    const provider = await store.open();
    let before;
    try {
      await provider.client.query(`insert into users (email, role, status, organization, managed) values ('zed@acme.test', 'member', 'active', 'acme', false)`);
      before = { live: await provider.read(), events: (await provider.auditStore.events()).length };
    } finally {
      await provider.close();
    }

    const text = await runCli(['users', ...AT], cwd, store.env);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout.split('\n')[0]).toMatch(/^EMAIL +STATUS +ROLE +ORGANIZATION +DEPARTMENT +WORKSPACES +AWARDED +PURCHASED +MANAGED +DECLARED$/);
    expect(text.stdout).toMatch(/^bob@acme\.test +invited +member +acme +Sales +analytics:member +10 +35 +yes +users\/people\.yaml:12$/m);
    expect(text.stdout).toMatch(/^zed@acme\.test +active +member +acme +- +- +0 +0 +no +-$/m);
    expect(text.stdout).toMatch(/^3 user\(s\)$/m);

    const json = JSON.parse((await runCli(['users', '--department', 'Sales', '--format', 'json', ...AT], cwd, store.env)).stdout);
    expect(json).toEqual({
      formatVersion: 1,
      count: 1,
      users: [expect.objectContaining({ email: 'bob@acme.test', awarded: 10, purchased: 35, managed: true, declaredAt: 'users/people.yaml:12' })],
    });

    const csv = await runCli(['users', '--balance-below', '20', '--format', 'csv', ...AT], cwd, store.env);
    const records = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.email, r.name, r.balance, r.managed])).toEqual([
      ['olivia@acme.test', '', '10', 'yes'],
      ['zed@acme.test', '', '0', 'no'],
    ]);
    const all = parse((await runCli(['users', '--format', 'csv', ...AT], cwd, store.env)).stdout, { columns: true }) as Record<string, string>[];
    expect(all.find((r) => r.email === 'bob@acme.test')).toMatchObject({
      name: `'=HYPERLINK("http://x.test")`,
      awarded: '10',
      balance: '45',
      workspaces: 'analytics:member',
    });

    expect(await runCli(['users', '--status', 'gone', ...AT], cwd, store.env)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--status must be one of active, invited, inactive, suspended, not-created, got "gone"'),
    });
    expect(await runCli(['users', '--balance-below', 'lots', ...AT], cwd, store.env)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--balance-below must be a number'),
    });

    const after = await store.open();
    try {
      expect({ live: await after.read(), events: (await after.auditStore.events()).length }).toEqual(before);
    } finally {
      await after.close();
    }
  });
});
