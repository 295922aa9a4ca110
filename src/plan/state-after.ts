import type { WorkspaceRole } from '../model/schema.generated.ts';
import type { LiveState, LiveUser } from '../model/live.ts';
import { compareSteps } from './order.ts';
import type { Step } from '../model/plan.ts';
import type { Fields } from '../model/json.ts';

/** The fields of a step's `after` other than its identifying ones. */
function changes(after: Fields | null, ...identifying: string[]): Fields {
  const out: Fields = {};
  for (const k in after ?? {}) if (!identifying.includes(k)) out[k] = after![k]!;
  return out;
}

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

  for (const s of touched) {
    const a = s.after ?? {};
    const b = s.before ?? {};
    switch (s.kind) {
      case 'role.create':
        roles.set(String(a.name), { name: String(a.name), description: null, owner: a.owner === true, admin: a.admin === true, permissions: {}, managed: true });
        break;
      case 'role.adopt':
      case 'role.update': {
        const r = roles.get(String(a.name));
        if (r) roles.set(r.name, { ...r, ...(changes(a, 'name') as object) });
        break;
      }
      case 'role.delete':
        roles.delete(String(b.name));
        break;
      case 'workspace.create':
        workspaces.set(String(a.name), { name: String(a.name), organization: (a.organization ?? null) as string | null, description: null, archived: false, managed: true });
        break;
      case 'workspace.rename': {
        const w = workspaces.get(String(b.name));
        if (w) {
          workspaces.delete(w.name);
          workspaces.set(String(a.name), { ...w, name: String(a.name) });
          renameMemberships(w.name, String(a.name));
        }
        break;
      }
      case 'workspace.adopt':
      case 'workspace.update': {
        const w = workspaces.get(String(a.name));
        if (w) workspaces.set(w.name, { ...w, ...(changes(a, 'name') as object) });
        break;
      }
      case 'workspace.archive': {
        const w = workspaces.get(String(b.name));
        if (w) workspaces.set(w.name, { ...w, archived: true });
        break;
      }
      case 'project.create':
        projects.set(String(a.name), { name: String(a.name), organization: (a.organization ?? null) as string | null, owner: null, description: null, archived: false, managed: true });
        break;
      case 'project.adopt':
      case 'project.update': {
        const p = projects.get(String(a.name));
        if (p) projects.set(p.name, { ...p, ...(changes(a, 'name') as object) });
        break;
      }
      case 'project.owner': {
        const p = projects.get(String(a.project));
        if (p) projects.set(p.name, { ...p, owner: (a.owner ?? null) as string | null });
        break;
      }
      case 'project.archive': {
        const p = projects.get(String(b.name));
        if (p) projects.set(p.name, { ...p, archived: true });
        break;
      }
      case 'package.create':
        packages.set(String(a.name), { name: String(a.name), createdBy: (a.createdBy ?? null) as string | null, description: null, managed: true });
        break;
      case 'package.adopt':
      case 'package.update': {
        const p = packages.get(String(a.name));
        if (p) packages.set(p.name, { ...p, ...(changes(a, 'name') as object) });
        break;
      }
      case 'package.delete':
        packages.delete(String(b.name));
        break;
      case 'settings.update':
        Object.assign(policies, a);
        break;
      case 'user.create':
        users.set(String(a.email), {
          email: String(a.email),
          name: (a.name ?? null) as string | null,
          role: (a.role ?? null) as string | null,
          status: a.status as LiveUser['status'],
          organization: (a.organization ?? null) as string | null,
          department: (a.department ?? null) as string | null,
          expires: (a.expires ?? null) as string | null,
          managed: true,
          workspaces: {},
          projects: [],
          packages: [],
          invitationKey: (a.invitationKey ?? null) as string | null,
          signupCredits: (a.signupCredits ?? 0) as number,
        });
        copied.add(String(a.email));
        break;
      case 'user.adopt':
      case 'user.update':
      case 'user.transfer':
      case 'user.reactivate':
      case 'user.suspend':
      case 'user.deactivate': {
        const u = user(String(a.email ?? b.email));
        if (u) Object.assign(u, changes(a, 'email'));
        break;
      }
      case 'user.delete':
        users.delete(String(b.email));
        for (const [name, p] of projects) if (p.owner === b.email) projects.set(name, { ...p, owner: null });
        break;
      case 'membership.set': {
        const u = user(String(a.user));
        if (u) u.workspaces[String(a.workspace)] = a.role as WorkspaceRole;
        break;
      }
      case 'membership.remove': {
        const u = user(String(b.user));
        if (u) delete u.workspaces[String(b.workspace)];
        break;
      }
      case 'project.assign':
      case 'package.assign': {
        const field = s.kind === 'project.assign' ? 'projects' : 'packages';
        const u = user(String(a.user));
        const name = String(a[s.kind === 'project.assign' ? 'project' : 'package']);
        if (u && !u[field].includes(name)) u[field].push(name);
        break;
      }
      case 'project.unassign':
      case 'package.unassign': {
        const field = s.kind === 'project.unassign' ? 'projects' : 'packages';
        const u = user(String(b.user));
        const name = String(b[s.kind === 'project.unassign' ? 'project' : 'package']);
        if (u) u[field] = u[field].filter((x) => x !== name);
        break;
      }
      case 'credit.grant':
        grants.push({ id: String(a.id), target: a.target as string, amount: Number(a.amount), kind: a.kind as 'awarded', reason: String(a.reason), entries: (a.entries ?? []) as { user: string; amount: number }[] });
        break;
    }
  }
  return { ...live, roles: [...roles.values()], workspaces: [...workspaces.values()], projects: [...projects.values()], packages: [...packages.values()], users: [...users.values()], grants, policies };
}
