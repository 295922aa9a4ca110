import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/index.ts';
import { BASE, declare, NOW } from '../helpers/declare.ts';
import { baseUsers, liveUser, liveWith } from '../helpers/live.ts';

/** Found by a hostile review of the effective-access work: each was planned with no block and no privileged step. */
describe('effective access, as a hostile pull request tries it', () => {
  it('suspending people counts towards maxRemovalPercent, as deactivating them does', () => {
    const members = ['a', 'b', 'c'].map((n) => liveUser(`${n}@acme.test`));
    const live = liveWith([...baseUsers(), ...members]);
    const suspended = ['a', 'b', 'c'].map((n) => `  - email: ${n}@acme.test\n    role: member\n    status: suspended\n`).join('');
    const p = plan(declare({ 'users/a.yaml': BASE + suspended }), live, NOW);
    expect(p.steps.filter((s) => s.kind === 'user.suspend').map((s) => [s.key, s.risk])).toEqual(
      ['a', 'b', 'c'].map((n) => [`user:${n}@acme.test`, ['destructive']]),
    );
    expect(p.blocks.map((b) => [b.guard, b.message, b.keys])).toEqual([
      [
        'maxRemovalPercent',
        '3 of 6 active users (50.0%) would lose access; guards.maxRemovalPercent is 25%',
        ['user:a@acme.test', 'user:b@acme.test', 'user:c@acme.test'],
      ],
    ]);
  });

  it('re-opening an archived workspace whose members kept admin is privileged', () => {
    const live = liveWith([...baseUsers(), liveUser('carl@acme.test', { workspaces: { ops: 'admin' } })], {});
    live.workspaces.push({ name: 'ops', organization: 'acme', description: null, archived: true, managed: true });
    const declared =
      BASE.replace('workspaces:\n  - name: analytics', 'workspaces:\n  - name: ops\n  - name: analytics') + '  - email: carl@acme.test\n    role: member\n';
    const p = plan(declare({ 'users/a.yaml': declared }), live, NOW);
    const reopen = p.steps.find((s) => s.key === 'workspace:ops');
    expect(reopen && [reopen.kind, reopen.after, reopen.risk]).toEqual(['workspace.update', { name: 'ops', archived: false }, ['privileged']]);
  });

  it('a workspace re-opened with no admin among its members stays unprivileged', () => {
    const live = liveWith([...baseUsers(), liveUser('carl@acme.test', { workspaces: { ops: 'member' } })], {});
    live.workspaces.push({ name: 'ops', organization: 'acme', description: null, archived: true, managed: true });
    const declared =
      BASE.replace('workspaces:\n  - name: analytics', 'workspaces:\n  - name: ops\n  - name: analytics') + '  - email: carl@acme.test\n    role: member\n';
    const reopen = plan(declare({ 'users/a.yaml': declared }), live, NOW).steps.find((s) => s.key === 'workspace:ops');
    expect(reopen?.risk).toEqual([]);
  });
});
