import { describe, expect, it } from 'vitest';
import { userView } from '../../src/plan/user-view.ts';
import { BASE, declare } from '../helpers/declare.ts';
import { baseUsers, liveUser, liveWith } from '../helpers/live.ts';

/** BASE's people (olivia, alice, bob) plus carol declared but not created, with the breakglass account excluded. */
const d = declare({
  'users/base.yaml':
    BASE.replace('organization: acme', 'organization: acme\n  exclude: [breakglass@acme.test]') +
    '  - { email: carol@acme.test, role: member, department: Sales, workspaces: { analytics: viewer } }\n',
});
const live = liveWith(
  [
    ...baseUsers().map((u) => (u.email === 'bob@acme.test' ? { ...u, department: 'Sales' } : u)),
    liveUser('zed@acme.test', { managed: false, status: 'inactive' }),
    liveUser('breakglass@acme.test', { role: 'admin', managed: false }),
  ],
  {
    grants: [
      {
        id: 'launch',
        target: { all: true },
        amount: 10,
        kind: 'awarded',
        reason: 'Launch',
        entries: ['olivia', 'alice', 'bob'].map((n) => ({ user: `${n}@acme.test`, amount: 10 })),
      },
      { id: 'fix', target: 'bob@acme.test', amount: -4, kind: 'awarded', reason: 'Correction', entries: [{ user: 'bob@acme.test', amount: -4 }] },
      { id: 'bought', target: 'alice@acme.test', amount: 50, kind: 'purchased', reason: 'Bought', entries: [{ user: 'alice@acme.test', amount: 50 }] },
    ],
  },
);

const brief = (rows: ReturnType<typeof userView>) =>
  rows.map((r) => `${r.email} ${r.status} ${r.awarded}/${r.purchased} ${r.managed ? 'managed' : 'unmanaged'} ${r.declaredAt ?? '-'}`);

describe('roster users: the live system joined with the declaration', () => {
  it('lists live accounts and declared people not created yet, never excluded accounts, with balances per kind and where each is declared', () => {
    expect(brief(userView(d, live))).toEqual([
      'alice@acme.test active 10/50 managed users/base.yaml:21',
      'bob@acme.test active 6/0 managed users/base.yaml:24',
      'carol@acme.test not-created 0/0 unmanaged users/base.yaml:27',
      'olivia@acme.test active 10/0 managed users/base.yaml:19',
      'zed@acme.test inactive 0/0 unmanaged -',
    ]);
  });

  it('shows what the live system holds, the declaration only for people not created yet', () => {
    const rows = userView(d, live);
    expect(rows.find((r) => r.email === 'bob@acme.test')).toMatchObject({
      department: 'Sales',
      workspaces: { analytics: 'member' },
      role: 'member',
      organization: 'acme',
    });
    expect(rows.find((r) => r.email === 'carol@acme.test')).toMatchObject({
      department: 'Sales',
      workspaces: { analytics: 'viewer' },
      role: 'member',
      name: null,
    });
  });

  it('filters by role, status, organization, workspace, department and balance', () => {
    const emails = (f: Parameters<typeof userView>[2]) => userView(d, live, f).map((r) => r.email);
    expect(emails({ role: 'admin' })).toEqual(['alice@acme.test']);
    expect(emails({ status: 'inactive' })).toEqual(['zed@acme.test']);
    expect(emails({ status: 'not-created' })).toEqual(['carol@acme.test']);
    expect(emails({ organization: 'globex' })).toEqual([]);
    expect(emails({ workspace: 'analytics' })).toEqual(['bob@acme.test', 'carol@acme.test']);
    expect(emails({ workspace: 'toString' })).toEqual([]);
    expect(emails({ department: 'Sales' })).toEqual(['bob@acme.test', 'carol@acme.test']);
    expect(emails({ balanceBelow: 10 })).toEqual(['bob@acme.test', 'carol@acme.test', 'zed@acme.test']);
    expect(emails({ balanceBelow: 10, department: 'Sales', status: 'active' })).toEqual(['bob@acme.test']);
  });

  it('agrees with a naive sum of the ledger for every person', () => {
    const naive = (email: string, kind: string) =>
      live.grants
        .filter((g) => g.kind === kind)
        .flatMap((g) => g.entries.filter((e) => e.user === email))
        .reduce((s, e) => s + e.amount, 0);
    for (const r of userView(d, live)) expect([r.awarded, r.purchased]).toEqual([naive(r.email, 'awarded'), naive(r.email, 'purchased')]);
  });
});
