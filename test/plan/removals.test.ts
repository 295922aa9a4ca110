import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/index.ts';
import { ALLOW_ALL } from '../helpers/apply.ts';
import { NOW, declare } from '../helpers/declare.ts';
import { liveUser, liveWith } from '../helpers/live.ts';
import { yaml } from '../helpers/tree.ts';

/**
 * Roles and organizations no longer declared are removed once nothing uses
 * them: judged on what the plan leaves, so that one apply is enough and the
 * next plan is empty (found by the convergence property's oracle).
 */
const kinds = (p: ReturnType<typeof plan>) => p.steps.map((s) => `${s.kind} ${s.key}`);

describe('removing roles and organizations nobody uses after the plan', () => {
  it('a role held only by a user this plan deletes is deleted in the same plan', () => {
    const d = declare({
      'users/a.yaml': yaml`
        settings: { organization: acme, removal: delete }
        organizations: [{ name: acme }]
        roles: [{ name: owner, owner: true }]
        users: [{ email: ann@acme.test, role: owner }]
      `,
    });
    const live = liveWith([liveUser('ann@acme.test', { role: 'owner' }), liveUser('cat@acme.test', { role: 'auditor', status: 'inactive' })], {
      organizations: [{ name: 'acme', displayName: null, managed: true }],
      roles: [
        { name: 'auditor', description: null, owner: false, admin: false, permissions: {}, managed: true },
        { name: 'owner', description: null, owner: true, admin: true, permissions: {}, managed: true },
      ],
      workspaces: [],
    });
    expect(kinds(plan(d, live, NOW, ALLOW_ALL))).toEqual(['user.delete user:cat@acme.test', 'role.delete role:auditor']);
  });

  it('an organization whose last project moves to another organization in this plan is deleted in the same plan', () => {
    const d = declare({
      'users/a.yaml': yaml`
        settings: { organization: acme }
        organizations: [{ name: acme }]
        roles: [{ name: owner, owner: true }]
        projects: [{ name: apollo, organization: acme, owner: ann@acme.test }]
        users: [{ email: ann@acme.test, role: owner }]
      `,
    });
    const live = liveWith([liveUser('ann@acme.test', { role: 'owner' })], {
      roles: [{ name: 'owner', description: null, owner: true, admin: true, permissions: {}, managed: true }],
      workspaces: [],
      projects: [{ name: 'apollo', organization: 'globex', owner: 'ann@acme.test', description: null, archived: false, managed: true }],
    });
    expect(kinds(plan(d, live, NOW, ALLOW_ALL))).toEqual(['project.update project:apollo', 'organization.delete organization:globex']);
  });

  it('an organization a user deleted by this plan still names is deleted with them', () => {
    const d = declare({
      'users/a.yaml': yaml`
        settings: { organization: acme, removal: delete }
        organizations: [{ name: acme }]
        roles: [{ name: owner, owner: true }, { name: member }]
        users: [{ email: ann@acme.test, role: owner }]
      `,
    });
    const live = liveWith([liveUser('ann@acme.test', { role: 'owner' }), liveUser('gil@acme.test', { organization: 'globex', status: 'inactive' })], {
      workspaces: [],
    });
    expect(kinds(plan(d, live, NOW, ALLOW_ALL))).toEqual([
      'user.delete user:gil@acme.test',
      'role.delete role:admin',
      'organization.delete organization:globex',
    ]);
  });

  it('an excluded account keeps its role and organization: roster never touches it, so neither is removed under it', () => {
    const d = declare({
      'users/a.yaml': yaml`
        settings: { organization: acme, exclude: [root@acme.test] }
        organizations: [{ name: acme }]
        roles: [{ name: owner, owner: true }, { name: member }]
        users: [{ email: ann@acme.test, role: owner }]
      `,
    });
    const live = liveWith(
      [liveUser('ann@acme.test', { role: 'owner' }), liveUser('root@acme.test', { role: 'admin', organization: 'globex', managed: false })],
      { workspaces: [] },
    );
    const p = plan(d, live, NOW, ALLOW_ALL);
    expect(kinds(p)).toEqual([]);
    expect(p.problems.map((x) => x.code)).toEqual(['organization.kept', 'role.kept']);
  });
});
