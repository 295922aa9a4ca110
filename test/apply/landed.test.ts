import { describe, expect, it } from 'vitest';
import { changeLanded, type Change } from '../../src/apply/landed.ts';
import { emptyLiveState, type LiveState } from '../../src/model/live.ts';
import { liveUser, liveWith } from '../helpers/live.ts';

const change = (step: string, key: string, before: Change['before'], after: Change['after']): Change => ({ step, key, before, after });
const bob = (fields: Parameters<typeof liveUser>[1] = {}) => liveWith([liveUser('bob@acme.test', fields)]);
const nobody: LiveState = liveWith([]);

describe('whether an interrupted change shows in the live state', () => {
  const create = change('user.create', 'user:bob@acme.test', null, { email: 'bob@acme.test', role: 'member', status: 'invited', signupCredits: 5 });
  it('a creation: the object is there, whatever fields the live system cannot hold', () => {
    expect(changeLanded(create, bob())).toBe(true);
    expect(changeLanded(create, nobody)).toBe(false);
  });

  const promote = change(
    'user.update',
    'user:bob@acme.test',
    { email: 'bob@acme.test', role: 'member', department: null },
    { email: 'bob@acme.test', role: 'admin', department: 'ops' },
  );
  it('a change of fields: any of them moved away from before (half a change is a change)', () => {
    expect(changeLanded(promote, bob())).toBe(false);
    expect(changeLanded(promote, bob({ role: 'admin', department: 'ops' }))).toBe(true);
    expect(changeLanded(promote, bob({ department: 'ops' }))).toBe(true);
  });

  it('a deactivation: the status changed, or the person is gone where deactivating removes them', () => {
    const off = change('user.deactivate', 'user:bob@acme.test', { email: 'bob@acme.test', status: 'active' }, { email: 'bob@acme.test', status: 'inactive' });
    expect(changeLanded(off, bob())).toBe(false);
    expect(changeLanded(off, bob({ status: 'inactive' }))).toBe(true);
    expect(changeLanded(off, nobody)).toBe(true);
    expect(changeLanded(promote, nobody)).toBe(false);
  });

  it('an adoption: the object is marked managed', () => {
    const adopt = change('user.adopt', 'user:bob@acme.test', { email: 'bob@acme.test', managed: false }, { email: 'bob@acme.test', managed: true });
    expect(changeLanded(adopt, bob({ managed: false }))).toBe(false);
    expect(changeLanded(adopt, bob())).toBe(true);
  });

  it('memberships: set (new or another role) and removed', () => {
    const join = change('membership.set', 'membership:research:bob@acme.test', null, { workspace: 'research', user: 'bob@acme.test', role: 'member' });
    expect(changeLanded(join, bob())).toBe(false);
    expect(changeLanded(join, bob({ workspaces: { research: 'member' } }))).toBe(true);
    expect(changeLanded(join, nobody)).toBe(false);
    const raise = change(
      'membership.set',
      'membership:research:bob@acme.test',
      { workspace: 'research', user: 'bob@acme.test', role: 'member' },
      { workspace: 'research', user: 'bob@acme.test', role: 'admin' },
    );
    expect(changeLanded(raise, bob({ workspaces: { research: 'member' } }))).toBe(false);
    expect(changeLanded(raise, bob({ workspaces: { research: 'admin' } }))).toBe(true);
    const leave = change('membership.remove', 'membership:research:bob@acme.test', { workspace: 'research', user: 'bob@acme.test', role: 'member' }, null);
    expect(changeLanded(leave, bob({ workspaces: { research: 'member' } }))).toBe(false);
    expect(changeLanded(leave, bob())).toBe(true);
  });

  it('workspaces: created, renamed (found by the new name), archived or removed', () => {
    const make = change('workspace.create', 'workspace:ops', null, { name: 'ops', organization: 'acme' });
    expect(changeLanded(make, nobody)).toBe(false);
    expect(changeLanded(make, liveWith([], { workspaces: [{ name: 'ops', organization: 'acme', description: null, archived: false, managed: true }] }))).toBe(
      true,
    );
    const rename = change('workspace.rename', 'workspace:insights', { name: 'analytics' }, { name: 'insights' });
    expect(changeLanded(rename, nobody)).toBe(false); // nobody has analytics, not insights
    expect(
      changeLanded(rename, liveWith([], { workspaces: [{ name: 'insights', organization: 'acme', description: null, archived: false, managed: true }] })),
    ).toBe(true);
    const archive = change('workspace.archive', 'workspace:analytics', { name: 'analytics' }, null);
    expect(changeLanded(archive, nobody)).toBe(false);
    expect(changeLanded(archive, emptyLiveState())).toBe(true);
    expect(
      changeLanded(archive, liveWith([], { workspaces: [{ name: 'analytics', organization: 'acme', description: null, archived: true, managed: true }] })),
    ).toBe(true);
  });

  it('a change the live state cannot show is taken as made: an event too many beats a change without one', () => {
    expect(changeLanded(change('credit.grant', 'grant:g1', null, { id: 'g1', amount: 5 }), nobody)).toBe(true);
  });
});
