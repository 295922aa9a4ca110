import type { LiveState, LiveUser } from '../model/live.ts';
import { compareSteps } from './order.ts';
import type { Step } from '../model/plan.ts';

/**
 * The live state as it will be once the steps are done: the same meaning
 * the providers give each step, applied to plain data. Unchanged people and
 * entities are shared with the input, never copied (plans run over 100,000
 * people).
 */
export function stateAfter(live: LiveState, steps: readonly Step[]): LiveState {
  const touched = steps.filter((s) => !s.kind.startsWith('organization.') && s.kind !== 'invitation.resend').sort(compareSteps);
  if (touched.length === 0) return live;
  const roles = new Map(live.roles.map((r) => [r.name, r]));
  const workspaces = new Map(live.workspaces.map((w) => [w.name, w]));
  const projects = new Map(live.projects.map((p) => [p.name, p]));
  const packages = new Map(live.packages.map((p) => [p.name, p]));
  const users = new Map(live.users.map((u) => [u.email, u]));
  const grants = [...live.grants];
  const policies = { ...live.policies };
  const copied = new Set<string>();
  const user = (email: string): LiveUser | undefined => {
    const u = users.get(email);
    if (!u || copied.has(email)) return u;
    copied.add(email);
    const copy = { ...u, workspaces: { ...u.workspaces }, projects: [...u.projects], packages: [...u.packages] };
    users.set(email, copy);
    return copy;
  };
  // Memberships follow a renamed workspace (the store cascades the rename); renames come before memberships.
  const renameMemberships = (from: string, to: string) => {
    for (const u of [...users.values()]) {
      if (!(from in u.workspaces)) continue;
      const c = user(u.email)!;
      c.workspaces[to] = c.workspaces[from]!;
      delete c.workspaces[from];
    }
  };

  const assign = (field: 'projects' | 'packages', email: string, name: string) => {
    const u = user(email);
    if (u && !u[field].includes(name)) u[field].push(name);
  };
  const unassign = (field: 'projects' | 'packages', email: string, name: string) => {
    const u = user(email);
    if (u) u[field] = u[field].filter((x) => x !== name);
  };

  for (const s of touched) {
    switch (s.kind) {
      case 'role.create': {
        const a = s.after;
        roles.set(a.name, { name: a.name, description: null, owner: a.owner === true, admin: a.admin === true, permissions: {}, managed: true });
        break;
      }
      case 'role.adopt':
      case 'role.update': {
        const { name, ...changed } = s.after;
        const r = roles.get(name);
        if (r) roles.set(r.name, { ...r, ...changed });
        break;
      }
      case 'role.delete':
        roles.delete(s.before.name);
        break;
      case 'workspace.create':
        workspaces.set(s.after.name, { name: s.after.name, organization: s.after.organization ?? null, description: null, archived: false, managed: true });
        break;
      case 'workspace.rename': {
        const w = workspaces.get(s.before.name);
        if (w) {
          workspaces.delete(w.name);
          workspaces.set(s.after.name, { ...w, name: s.after.name });
          renameMemberships(w.name, s.after.name);
        }
        break;
      }
      case 'workspace.adopt':
      case 'workspace.update': {
        const { name, ...changed } = s.after;
        const w = workspaces.get(name);
        if (w) workspaces.set(w.name, { ...w, ...changed });
        break;
      }
      case 'workspace.archive': {
        const w = workspaces.get(s.before.name);
        if (w) workspaces.set(w.name, { ...w, archived: true });
        break;
      }
      case 'project.create':
        projects.set(s.after.name, {
          name: s.after.name,
          organization: s.after.organization ?? null,
          owner: null,
          description: null,
          archived: false,
          managed: true,
        });
        break;
      case 'project.adopt':
      case 'project.update': {
        const { name, ...changed } = s.after;
        const p = projects.get(name);
        if (p) projects.set(p.name, { ...p, ...changed });
        break;
      }
      case 'project.owner': {
        const p = projects.get(s.after.project);
        if (p) projects.set(p.name, { ...p, owner: s.after.owner });
        break;
      }
      case 'project.archive': {
        const p = projects.get(s.before.name);
        if (p) projects.set(p.name, { ...p, archived: true });
        break;
      }
      case 'package.create':
        packages.set(s.after.name, { name: s.after.name, createdBy: s.after.createdBy ?? null, description: null, managed: true });
        break;
      case 'package.adopt':
      case 'package.update': {
        const { name, ...changed } = s.after;
        const p = packages.get(name);
        if (p) packages.set(p.name, { ...p, ...changed });
        break;
      }
      case 'package.delete':
        packages.delete(s.before.name);
        break;
      case 'settings.update':
        Object.assign(policies, s.after);
        break;
      case 'user.create': {
        const a = s.after;
        users.set(a.email, {
          email: a.email,
          name: a.name,
          role: a.role,
          status: a.status,
          organization: a.organization,
          department: a.department,
          expires: a.expires,
          managed: true,
          workspaces: {},
          projects: [],
          packages: [],
          invitationKey: a.invitationKey,
          signupCredits: a.signupCredits,
        });
        copied.add(a.email);
        break;
      }
      case 'user.adopt':
      case 'user.update':
      case 'user.transfer':
      case 'user.reactivate':
      case 'user.suspend':
      case 'user.deactivate': {
        const { email, ...changed } = s.after;
        const u = user(email);
        if (u) Object.assign(u, changed);
        break;
      }
      case 'user.delete':
        users.delete(s.before.email);
        for (const [name, p] of projects) if (p.owner === s.before.email) projects.set(name, { ...p, owner: null });
        break;
      case 'membership.set': {
        const u = user(s.after.user);
        if (u) u.workspaces[s.after.workspace] = s.after.role;
        break;
      }
      case 'membership.remove': {
        const u = user(s.before.user);
        if (u) delete u.workspaces[s.before.workspace];
        break;
      }
      case 'project.assign':
        assign('projects', s.after.user, s.after.project);
        break;
      case 'package.assign':
        assign('packages', s.after.user, s.after.package);
        break;
      case 'project.unassign':
        unassign('projects', s.before.user, s.before.project);
        break;
      case 'package.unassign':
        unassign('packages', s.before.user, s.before.package);
        break;
      case 'credit.grant': {
        const { id, target, amount, kind, reason, entries } = s.after;
        grants.push({ id, target, amount, kind, reason, entries });
        break;
      }
    }
  }
  return {
    ...live,
    roles: [...roles.values()],
    workspaces: [...workspaces.values()],
    projects: [...projects.values()],
    packages: [...packages.values()],
    users: [...users.values()],
    grants,
    policies,
  };
}
