import { describe, expect, it } from 'vitest';
import { isBlocked, plan, NO_OVERRIDES } from '../../src/plan/index.ts';
import type { Plan } from '../../src/model/plan.ts';
import { emptyLiveState } from '../../src/model/live.ts';
import { BASE, NOW, declare } from '../helpers/declare.ts';
import { baseUsers, liveUser, liveWith } from '../helpers/live.ts';

const kinds = (p: Plan) => p.steps.map((s) => `${s.kind} ${s.key}`);
const base = (extra = '') => declare({ 'users/base.yaml': BASE + extra });
const withUsers = (users: string, head = '') =>
  declare({
    'users/base.yaml': BASE.replace(/users:[\s\S]*$/, '') + head,
    'users/people.yaml': `users:\n${users}`,
  });

describe('plan on an empty live system', () => {
  it('creates everything in dependency order, each step pointing at its declaration', () => {
    const p = plan(base(), emptyLiveState(), NOW);
    expect(kinds(p)).toEqual([
      'organization.create organization:acme',
      'organization.create organization:globex',
      'role.create role:admin',
      'role.create role:member',
      'role.create role:owner',
      'workspace.create workspace:analytics',
      'workspace.create workspace:research',
      'user.create user:alice@acme.test',
      'user.create user:bob@acme.test',
      'user.create user:olivia@acme.test',
      'membership.set membership:analytics:bob@acme.test',
    ]);
    const alice = p.steps.find((s) => s.key === 'user:alice@acme.test')!;
    expect(alice.source).toMatch(/^users\/base\.yaml:\d+:5$/);
    expect(alice.after).toMatchObject({ status: 'invited', role: 'admin', organization: 'acme' });
    expect(alice.risk).toEqual(['privileged']);
    expect(p.summary).toEqual({ add: 11, change: 0, remove: 0 });
  });

  it('is deterministic', () => {
    const d = base();
    expect(JSON.stringify(plan(d, emptyLiveState(), NOW))).toBe(JSON.stringify(plan(d, emptyLiveState(), NOW)));
  });
});

describe('users', () => {
  it('plans nothing when the live system matches, and invited <-> active is not drift', () => {
    const live = liveWith(baseUsers().map((u) => (u.email === 'bob@acme.test' ? { ...u, status: 'invited' as const } : u)));
    expect(kinds(plan(base(), live, NOW))).toEqual([]);
  });

  it('omitted workspaces are unmanaged; {} removes them all', () => {
    const live = liveWith([
      liveUser('carol@acme.test', { workspaces: { analytics: 'admin' } }),
      liveUser('dave@acme.test', { workspaces: { analytics: 'viewer' } }),
    ]);
    const d = withUsers(`  - email: carol@acme.test\n    role: member\n  - email: dave@acme.test\n    role: member\n    workspaces: {}\n`);
    expect(kinds(plan(d, live, NOW))).toEqual(['membership.remove membership:analytics:dave@acme.test']);
  });

  it('changes a workspace role in place and marks workspace admin as privileged', () => {
    const live = liveWith([liveUser('carol@acme.test', { workspaces: { analytics: 'viewer' } })]);
    const d = withUsers(`  - email: carol@acme.test\n    role: member\n    workspaces: { analytics: admin }\n`);
    const [step] = plan(d, live, NOW).steps;
    expect(step).toMatchObject({ kind: 'membership.set', before: { role: 'viewer' }, after: { role: 'admin' }, risk: ['privileged'] });
  });

  it('moves a user to another organization as one transfer step', () => {
    const live = liveWith([liveUser('carol@acme.test')]);
    const d = withUsers(`  - email: carol@acme.test\n    role: member\n    organization: globex\n`);
    expect(plan(d, live, NOW).steps).toEqual([
      expect.objectContaining({
        kind: 'user.transfer',
        before: { email: 'carol@acme.test', organization: 'acme' },
        after: { email: 'carol@acme.test', organization: 'globex' },
      }),
    ]);
  });

  it('deactivates, suspends and reactivates', () => {
    const live = liveWith([liveUser('a@acme.test'), liveUser('b@acme.test'), liveUser('c@acme.test', { status: 'inactive' })]);
    const d = withUsers(
      `  - { email: a@acme.test, role: member, status: inactive }\n  - { email: b@acme.test, role: member, status: suspended }\n  - { email: c@acme.test, role: member }\n`,
    );
    expect(
      plan(d, live, NOW, { ...NO_OVERRIDES, allowMassRemoval: true }).steps.map((s) => [s.kind, s.after && 'status' in s.after ? s.after.status : undefined]),
    ).toEqual([
      ['user.reactivate', 'active'],
      ['user.suspend', 'suspended'],
      ['user.deactivate', 'inactive'],
    ]);
  });

  it('deactivates a contractor on the first plan after their end date', () => {
    const live = liveWith([liveUser('temp@acme.test', { expires: '2026-11-30' })]);
    const d = withUsers(`  - { email: temp@acme.test, role: member, expires: 2026-11-30 }\n`);
    expect(kinds(plan(d, live, new Date('2026-11-30T23:00:00Z')))).toEqual([]);
    const after = plan(d, live, new Date('2026-12-01T00:00:00Z'));
    expect(after.steps).toEqual([expect.objectContaining({ kind: 'user.deactivate', reason: 'contract ended: expires 2026-11-30' })]);
  });

  it('resends an invitation when the token changes, only while the user is invited', () => {
    const d = withUsers(`  - { email: new@acme.test, role: member, resendInvitation: "2026-11-20" }\n`);
    expect(kinds(plan(d, liveWith([liveUser('new@acme.test', { status: 'invited', invitationKey: null })]), NOW))).toEqual([
      'invitation.resend invitation:new@acme.test',
    ]);
    expect(kinds(plan(d, liveWith([liveUser('new@acme.test', { status: 'invited', invitationKey: '2026-11-20' })]), NOW))).toEqual([]);
    expect(kinds(plan(d, liveWith([liveUser('new@acme.test', { status: 'active' })]), NOW))).toEqual([]);
  });

  it('adopts a declared user it never managed, with its field changes', () => {
    const live = liveWith([liveUser('carol@acme.test', { managed: false, name: 'C' })]);
    const d = withUsers(`  - { email: carol@acme.test, role: member, name: Carol }\n`);
    expect(plan(d, live, NOW).steps).toEqual([
      expect.objectContaining({
        kind: 'user.adopt',
        before: { email: 'carol@acme.test', managed: false, name: 'C' },
        after: { email: 'carol@acme.test', managed: true, name: 'Carol' },
      }),
    ]);
  });
});

describe('users not declared', () => {
  const live = () =>
    liveWith([
      ...baseUsers(),
      liveUser('gone@acme.test'),
      liveUser('stranger@acme.test', { managed: false }),
      liveUser('breakglass@acme.test', { managed: false, role: 'admin' }),
    ]);

  it('deactivates removed managed users, reports unmanaged ones and never sees excluded ones', () => {
    const p = plan(base(), live(), NOW, { ...NO_OVERRIDES, allowMassRemoval: true });
    expect(kinds(p)).toEqual(['user.deactivate user:gone@acme.test']);
    expect(p.steps[0]!.source).toBe('not in the declaration');
    expect(p.unmanaged).toEqual(['breakglass@acme.test', 'stranger@acme.test']);
    const excluded = plan(
      declare({ 'users/base.yaml': BASE.replace('organization: acme', 'organization: acme\n  exclude: [breakglass@acme.test]') }),
      live(),
      NOW,
      { ...NO_OVERRIDES, allowMassRemoval: true },
    );
    expect(excluded.unmanaged).toEqual(['stranger@acme.test']);
  });

  it('settings.unmanaged: deactivate deactivates users roster never managed', () => {
    const d = declare({
      'users/base.yaml': BASE.replace('organization: acme', 'organization: acme\n  unmanaged: deactivate\n  exclude: [breakglass@acme.test]'),
    });
    expect(kinds(plan(d, live(), NOW, { ...NO_OVERRIDES, allowMassRemoval: true }))).toEqual([
      'user.deactivate user:gone@acme.test',
      'user.deactivate user:stranger@acme.test',
    ]);
  });

  it('removal: delete needs --allow-delete', () => {
    const d = declare({ 'users/base.yaml': BASE.replace('organization: acme', 'organization: acme\n  removal: delete\n  guards: { maxRemovalPercent: 100 }') });
    const p = plan(d, live(), NOW);
    expect(kinds(p)).toEqual(['user.delete user:gone@acme.test']);
    expect(p.blocks).toEqual([
      {
        guard: 'delete',
        message: '1 user(s) would be deleted permanently (settings.removal: delete)',
        flag: '--allow-delete',
        overridden: false,
        keys: ['user:gone@acme.test'],
      },
    ]);
    expect(isBlocked(p)).toBe(true);
    expect(isBlocked(plan(d, live(), NOW, { ...NO_OVERRIDES, allowDelete: true }))).toBe(false);
  });
});

describe('guards', () => {
  it('blocks removing more than maxRemovalPercent of active users', () => {
    const live = liveWith([...baseUsers(), liveUser('x@acme.test'), liveUser('y@acme.test')]);
    const p = plan(base(), live, NOW);
    expect(p.blocks.map((b) => [b.guard, b.message, b.flag])).toEqual([
      ['maxRemovalPercent', '2 of 5 active users (40.0%) would lose access; guards.maxRemovalPercent is 25%', '--allow-mass-removal'],
    ]);
    expect(isBlocked(plan(base(), live, NOW, { ...NO_OVERRIDES, allowMassRemoval: true }))).toBe(false);
  });

  it('blocks dropping below minAdmins and removing an owner', () => {
    const d = declare({
      'users/base.yaml': BASE.replace('organization: acme', 'organization: acme\n  guards: { minAdmins: 2 }').replace('role: owner', 'role: member'),
    });
    const p = plan(d, liveWith(baseUsers()), NOW);
    expect(p.blocks.map((b) => b.guard)).toEqual(['minAdmins', 'ownerChange', 'lastOwner']);
    expect(p.blocks.every((b) => b.flag === '--allow-owner-change')).toBe(true);
    expect(isBlocked(plan(d, liveWith(baseUsers()), NOW, { ...NO_OVERRIDES, allowOwnerChange: true }))).toBe(false);
  });
});

describe('workspaces', () => {
  it('renames a workspace listed under previously, keeping its members', () => {
    const d = declare({
      'users/base.yaml': BASE.replace('  - name: analytics\n', '  - name: insights\n    previously: [analytics]\n').replace(
        '{ analytics: member }',
        '{ insights: member }',
      ),
    });
    const p = plan(d, liveWith(baseUsers()), NOW);
    expect(kinds(p)).toEqual(['workspace.rename workspace:insights']);
    expect(p.steps[0]).toMatchObject({ before: { name: 'analytics' }, after: { name: 'insights' } });
  });

  it('archives a managed workspace no longer declared', () => {
    const d = declare({ 'users/base.yaml': BASE.replace('  - name: research\n    organization: globex\n', '') });
    expect(kinds(plan(d, liveWith(baseUsers()), NOW))).toEqual(['workspace.archive workspace:research']);
  });
});

describe('credits', () => {
  const grants = (credits: string, head = '') =>
    declare({ 'users/base.yaml': BASE.replace('organization: acme', `organization: acme${head}`) + `credits:\n${credits}` });

  it('expands a selector grant to the matching active users once, then seals it', () => {
    const d = grants(`  - { id: promo, to: { role: member }, amount: 50, reason: Launch promotion }\n`);
    const p = plan(d, liveWith(baseUsers()), NOW);
    expect(p.steps).toEqual([
      expect.objectContaining({
        kind: 'credit.grant',
        key: 'credit:promo',
        after: {
          id: 'promo',
          target: { role: 'member' },
          amount: 50,
          kind: 'awarded',
          reason: 'Launch promotion',
          entries: [{ user: 'bob@acme.test', amount: 50 }],
        },
      }),
    ]);
    const sealed = liveWith([...baseUsers(), liveUser('late@acme.test')], {
      grants: [
        { id: 'promo', target: { role: 'member' }, amount: 50, kind: 'awarded', reason: 'Launch promotion', entries: [{ user: 'bob@acme.test', amount: 50 }] },
      ],
    });
    const laterWithCredits = declare({
      'users/base.yaml':
        BASE + `  - { email: late@acme.test, role: member }\ncredits:\n  - { id: promo, to: { role: member }, amount: 50, reason: Launch promotion }\n`,
    });
    expect(kinds(plan(laterWithCredits, sealed, NOW))).toEqual([]);
  });

  it('refuses to change an applied grant', () => {
    const d = grants(`  - { id: fix, to: bob@acme.test, amount: 75, reason: Correction }\n`);
    const live = liveWith(baseUsers(), {
      grants: [{ id: 'fix', target: 'bob@acme.test', amount: 50, kind: 'awarded', reason: 'Correction', entries: [{ user: 'bob@acme.test', amount: 50 }] }],
    });
    const p = plan(d, live, NOW);
    expect(p.problems.map((x) => `${x.at?.line}:${x.at?.col} ${x.message}`)).toEqual([
      expect.stringMatching(/^\d+:\d+ credit grant fix was already applied and cannot change \(amount: 50 -> 75\); restore it and declare a correcting grant$/),
    ]);
    expect(p.steps).toEqual([]);
  });

  it('warns when an applied grant disappears from the files, and never reverses it', () => {
    const live = liveWith(baseUsers(), {
      grants: [{ id: 'old', target: 'bob@acme.test', amount: 5, kind: 'awarded', reason: 'Old', entries: [{ user: 'bob@acme.test', amount: 5 }] }],
    });
    const p = plan(base(), live, NOW);
    expect(p.steps).toEqual([]);
    expect(p.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: 'credit grant old was applied but is no longer declared; grants are never reversed: declare a correcting grant to undo it',
      }),
    ]);
  });

  it('refuses a deduction below zero', () => {
    const d = grants(
      `  - { id: a, to: bob@acme.test, amount: 10, kind: purchased, reason: Bought }\n  - { id: b, to: bob@acme.test, amount: -15, kind: purchased, reason: Refund }\n`,
    );
    expect(plan(d, liveWith(baseUsers()), NOW).problems.map((x) => x.message)).toEqual([
      "credit grant b would take bob@acme.test's purchased balance to -5 (it is 10)",
    ]);
  });

  it('checks a deduction against the balance the ledger already holds', () => {
    const bought = {
      id: 'a',
      target: 'bob@acme.test',
      amount: 10,
      kind: 'purchased' as const,
      reason: 'Bought',
      entries: [{ user: 'bob@acme.test', amount: 10 }],
    };
    const others = {
      id: 'b',
      target: { role: 'member' },
      amount: 20,
      kind: 'purchased' as const,
      reason: 'Team',
      entries: [{ user: 'alice@acme.test', amount: 20 }],
    };
    const live = liveWith(baseUsers(), { grants: [bought, others] });
    const declared = `  - { id: a, to: bob@acme.test, amount: 10, kind: purchased, reason: Bought }\n  - { id: b, to: { role: member }, amount: 20, kind: purchased, reason: Team }\n`;
    expect(
      plan(grants(`${declared}  - { id: c, to: bob@acme.test, amount: -15, kind: purchased, reason: Refund }\n`), live, NOW).problems.map((x) => x.message),
    ).toEqual(["credit grant c would take bob@acme.test's purchased balance to -5 (it is 10)"]);
    expect(kinds(plan(grants(`${declared}  - { id: c, to: bob@acme.test, amount: -10, kind: purchased, reason: Refund }\n`), live, NOW))).toEqual([
      'credit.grant credit:c',
    ]);
  });

  it('warns of a removed grant beside signup grants, which are never declared', () => {
    const signup = {
      id: 'signup:bob@acme.test',
      target: 'bob@acme.test',
      amount: 5,
      kind: 'awarded' as const,
      reason: 'Signup credits',
      entries: [{ user: 'bob@acme.test', amount: 5 }],
    };
    const old = { id: 'old', target: 'bob@acme.test', amount: 5, kind: 'awarded' as const, reason: 'Old', entries: [{ user: 'bob@acme.test', amount: 5 }] };
    expect(plan(base(), liveWith(baseUsers(), { grants: [signup] }), NOW).problems).toEqual([]);
    expect(plan(base(), liveWith(baseUsers(), { grants: [signup, old] }), NOW).problems.map((x) => x.message)).toEqual([
      'credit grant old was applied but is no longer declared; grants are never reversed: declare a correcting grant to undo it',
    ]);
  });

  it('pays signup credits once to every user roster creates, also after an interrupted apply', () => {
    const d = declare({
      'users/base.yaml':
        BASE.replace('organization: acme', 'organization: acme\n  policies: { signupCredits: 100 }') + '  - { email: new@acme.test, role: member }\n',
    });
    const p = plan(d, liveWith(baseUsers(), { policies: { signupCredits: 100, lowBalanceThreshold: null, creditExpiryDays: null } }), NOW);
    expect(kinds(p)).toEqual(['user.create user:new@acme.test', 'credit.grant credit:signup:new@acme.test']);
    expect(p.steps[1]!.requires).toEqual(['user:new@acme.test']);
    // Crashed after creating the user, before paying: the debt is in the live state.
    const interrupted = liveWith([...baseUsers(), liveUser('new@acme.test', { status: 'invited', signupCredits: 100 })], {
      policies: { signupCredits: 100, lowBalanceThreshold: null, creditExpiryDays: null },
    });
    expect(kinds(plan(d, interrupted, NOW))).toEqual(['credit.grant credit:signup:new@acme.test']);
  });
});
