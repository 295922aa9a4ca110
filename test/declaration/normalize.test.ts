import { describe, expect, it } from 'vitest';
import { BASE, declare } from '../helpers/declare.ts';

describe('normalisation of a valid declaration', () => {
  it('sorts users by email and fills in defaults', () => {
    const d = declare({ 'users/a.yaml': BASE });
    expect(d.users.map((u) => u.email)).toEqual(['alice@acme.test', 'bob@acme.test', 'olivia@acme.test']);
    expect(d.users.map((u) => [u.email, u.status, u.organization])).toEqual([
      ['alice@acme.test', 'active', 'acme'],
      ['bob@acme.test', 'active', 'acme'],
      ['olivia@acme.test', 'active', 'acme'],
    ]);
    // Omitted means unmanaged: no workspaces key unless one was written.
    expect(d.users.find((u) => u.email === 'alice@acme.test')).toEqual({
      email: 'alice@acme.test',
      name: 'Alice',
      role: 'admin',
      status: 'active',
      organization: 'acme',
      at: { file: 'users/a.yaml', line: 20, col: 5 },
    });
    expect(d.users.find((u) => u.email === 'bob@acme.test')?.workspaces).toEqual({ analytics: 'member' });
  });

  it('lower-cases, trims and NFC-normalises emails everywhere they appear', () => {
    const d = declare({
      'users/a.yaml': BASE.replace('email: alice@acme.test', 'email: "  Alice@ACME.Test "').replace('email: bob@acme.test', 'email: "Jose\u0301@Acme.test"'),
      'users/b.yaml':
        'projects:\n  - name: apollo\n    owner: " OLIVIA@acme.test"\ncredits:\n  - id: welcome\n    to: JOSE\u0301@ACME.TEST\n    amount: 10\n    reason: welcome\n',
    });
    expect(d.users.map((u) => u.email)).toEqual(['alice@acme.test', 'jos\u00e9@acme.test', 'olivia@acme.test']);
    expect(d.projects[0]?.owner).toBe('olivia@acme.test');
    expect(d.credits[0]).toMatchObject({ to: 'jos\u00e9@acme.test', kind: 'awarded' });
  });

  it('defaults the organization of workspaces and keeps explicit ones', () => {
    const d = declare({ 'users/a.yaml': BASE });
    expect(d.workspaces.map((w) => [w.name, w.organization, w.previously])).toEqual([
      ['analytics', 'acme', []],
      ['research', 'globex', []],
    ]);
  });

  it('resolves settings, filling in every default', () => {
    const d = declare({ 'users/a.yaml': BASE });
    expect(d.settings).toEqual({
      provider: 'postgres',
      organization: 'acme',
      unmanaged: 'report',
      removal: 'deactivate',
      exclude: [],
      guards: { maxRemovalPercent: 25, minAdmins: 1, privilegedCreditAmount: 1000 },
      approvals: { privileged: null },
      policies: {},
    });
    expect(d.settingsAt).toEqual({ file: 'users/a.yaml', line: 2, col: 1 });
  });

  it('makes an owner role an admin role', () => {
    const d = declare({ 'users/a.yaml': BASE });
    expect(d.roles.map((r) => [r.name, r.owner, r.admin])).toEqual([
      ['admin', false, true],
      ['member', false, false],
      ['owner', true, true],
    ]);
  });
});
