import type { Declaration } from '../model/declaration.ts';
import type { CreditTarget, WorkspaceRole } from '../model/schema.generated.ts';
import type { ProviderCapabilities, ProviderName } from '../model/capabilities.ts';
import { GITHUB_CAPABILITIES } from '../model/capabilities.ts';
import { NOREPLY } from '../model/github.ts';
import { POSTGRES_CAPABILITIES } from '../model/capabilities.ts';
import { SCIM_CAPABILITIES } from '../model/capabilities.ts';
import type { LiveState, LiveUser } from '../model/live.ts';
import { canonicalPermissions } from '../util/canonical.ts';

/**
 * The live state as declaration entries: plain objects whose keys are in
 * the order a person writes them, optional fields left out where the live
 * system has no value (or cannot hold one), sorted by key. Pure: the same
 * live state gives the same entries.
 */
export interface ExportedUser {
  email: string;
  name?: string;
  github?: string;
  role: string;
  status?: 'invited' | 'inactive' | 'suspended';
  organization?: string;
  department?: string;
  expires?: string;
  resendInvitation?: string;
  workspaces?: Record<string, WorkspaceRole>;
  projects?: string[];
  packages?: string[];
}

export type Entry = Record<string, unknown>;

export interface ExportedDeclaration {
  settings: Entry;
  organizations: Entry[];
  roles: Entry[];
  workspaces: Entry[];
  projects: Entry[];
  packages: Entry[];
  /** With the organization and department they are filed under (the default organization's users name none). */
  users: { user: ExportedUser; organization: string | null; department: string | null }[];
  credits: Entry[];
  /** What the export could not express, or what a plan of it will still do (adopting what roster did not manage). */
  notes: string[];
}

export interface ExportOptions {
  provider: ProviderName;
  /** Also accounts (and objects) roster does not manage: the plan of the result adopts them. */
  includeUnmanaged: boolean;
  /**
   * An existing declaration, for what the live system cannot say: GitHub
   * logins, the flags of roles SCIM and GitHub keep only as names, the
   * accounts never to touch (settings.exclude) and the approvals.
   */
  hints?: Declaration;
}

const CAPABILITIES: Record<ProviderName, ProviderCapabilities> = { postgres: POSTGRES_CAPABILITIES, scim: SCIM_CAPABILITIES, github: GITHUB_CAPABILITIES };
const DEFAULT_GUARDS = { maxRemovalPercent: 25, minAdmins: 1, privilegedCreditAmount: 1000 } as const;
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
/** Sets the field only when there is a value: an omitted field is one the plan leaves alone. */
const put = (o: Entry, key: string, value: unknown) => {
  if (value !== null && value !== undefined) o[key] = value;
};

export function exportModel(live: LiveState, opts: ExportOptions): ExportedDeclaration {
  const caps = CAPABILITIES[opts.provider];
  const can = (feature: ProviderCapabilities['cannotHold'][number]) => !caps.cannotHold.includes(feature);
  const notes: string[] = [];
  const excluded = new Set(opts.hints?.settings.exclude ?? []);
  const logins = new Map((opts.hints?.users ?? []).filter((u) => u.github).map((u) => [u.email, u.github!]));
  const valueOnly = new Set(live.valueOnly ?? []);
  const take = (x: { managed: boolean }) => x.managed || opts.includeUnmanaged;

  // People first: everything else is kept when roster manages it or a kept person (or grant, or project) needs it.
  const liveUsers = new Map(live.users.filter((u) => !excluded.has(u.email)).map((u) => [u.email, u]));
  const users = new Map<string, LiveUser>();
  // Why a person roster does not manage is kept: `what` and `name` (`received grant`, its id), put together only for the note.
  const keepUser = (email: string, what: string, name: string) => {
    if (users.has(email)) return true;
    const u = liveUsers.get(email);
    if (!u) return false;
    if (!u.role) {
      notes.push(`${email} has no role in the live system: left out (declare one to manage them)`);
      return false;
    }
    if (!u.managed && !opts.includeUnmanaged) notes.push(`${email} is not managed by roster but ${what} ${name}: included, and the plan adopts them`);
    users.set(email, u);
    return true;
  };
  for (const u of liveUsers.values()) if (take(u)) keepUser(u.email, '', '');

  const assigned = (field: 'projects' | 'packages') => new Set([...users.values()].flatMap((u) => u[field]));
  const assignedProjects = assigned('projects');
  const assignedPackages = assigned('packages');
  const projects = can('projects') ? live.projects.filter((p) => !p.archived && (take(p) || assignedProjects.has(p.name))) : [];
  const packages = can('packages') ? live.packages.filter((p) => take(p) || assignedPackages.has(p.name)) : [];
  const keptProjects = projects.filter((p) => {
    if (p.owner && keepUser(p.owner, 'owns project', p.name)) return true;
    notes.push(`project ${p.name} has no owner roster can declare: left out`);
    return false;
  });
  // A creator who is no longer in the live system (deleted) cannot be declared: the package is then declared without one.
  const creators = new Set(packages.filter((p) => p.createdBy && keepUser(p.createdBy, 'created package', p.name)).map((p) => p.name));
  const grants = can('credit grants')
    ? live.grants.filter((g) => {
        if (g.id.startsWith('signup:')) return false;
        if (typeof g.target !== 'string' || keepUser(g.target, 'received grant', g.id)) return true;
        notes.push(`grant ${g.id} went to ${g.target}, who is no longer in the live system: left out (the plan warns that it is not declared)`);
        return false;
      })
    : [];

  const kept = [...users.values()];
  const used = (field: 'role' | 'organization') => new Set(kept.map((u) => u[field]).filter((x): x is string => x !== null));
  const usedOrgs = used('organization');
  const usedRoles = used('role');
  const usedWorkspaces = new Set(kept.flatMap((u) => Object.keys(u.workspaces)));
  for (const g of grants) {
    const t = g.target as Exclude<CreditTarget, string> & Record<string, unknown>;
    if (typeof g.target === 'string') continue;
    if (typeof t.role === 'string') usedRoles.add(t.role);
    if (typeof t.organization === 'string') usedOrgs.add(t.organization);
    if (typeof t.workspace === 'string') usedWorkspaces.add(t.workspace);
  }
  const workspaces = live.workspaces.filter((w) => !w.archived && (take(w) || usedWorkspaces.has(w.name)));
  for (const x of [...workspaces, ...keptProjects]) if (x.organization) usedOrgs.add(x.organization);

  const liveOrgs = valueOnly.has('organizations') ? [] : live.organizations.filter((o) => take(o) || usedOrgs.has(o.name));
  const liveRoles = valueOnly.has('roles') ? [] : live.roles.filter((r) => take(r) || usedRoles.has(r.name));
  for (const x of [...liveOrgs, ...liveRoles, ...workspaces, ...keptProjects, ...packages]) {
    if (!x.managed && !opts.includeUnmanaged) notes.push(`${x.name} is not managed by roster but is in use: included, and the plan adopts it`);
  }
  const organizations = valueOnly.has('organizations')
    ? sorted([...usedOrgs, ...live.organizations.map((o) => o.name)]).map((name) => ({ name }))
    : liveOrgs.sort(byName).map((o) => {
        const e: Entry = { name: o.name };
        if (can('organization display names')) put(e, 'displayName', o.displayName);
        return e;
      });
  const roles = valueOnly.has('roles')
    ? valueOnlyRoles(sorted(usedRoles), opts)
    : liveRoles.sort(byName).map((r) => {
        const e: Entry = { name: r.name };
        put(e, 'description', r.description);
        if (r.owner) e.owner = true;
        if (r.admin) e.admin = true;
        if (can('role permissions') && Object.keys(r.permissions).length) e.permissions = canonicalPermissions(r.permissions);
        return e;
      });
  const orgCount = new Map<string, number>();
  for (const u of kept) if (u.organization) orgCount.set(u.organization, (orgCount.get(u.organization) ?? 0) + 1);
  // The organization most people are in is the default one, so that their entries need not name it.
  const defaultOrg =
    organizations.length === 0 ? null : ([...orgCount].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? (organizations[0]!.name as string));
  // A declared user always has an organization when there are any: one the live system has none for gets the default.
  for (const u of kept)
    if (u.organization === null && defaultOrg !== null)
      notes.push(`${u.email} has no organization in the live system: declared in ${defaultOrg}, which the plan moves them to`);
  const orgField = (e: Entry, org: string | null) => {
    if (org !== null && org !== defaultOrg) e.organization = org;
  };

  const people: UserContext = {
    names: can('user names'),
    github: caps.needsGithubLogin,
    departments: can('departments'),
    expiry: can('expiry dates'),
    resends: can('invitation resends'),
    projects: can('projects'),
    packages: can('packages'),
    defaultOrg,
    hasWorkspaces: workspaces.length > 0,
  };
  return {
    settings: settingsOf(live, opts, defaultOrg, can('credit policies')),
    organizations,
    roles,
    workspaces: workspaces.sort(byName).map((w) => {
      const e: Entry = { name: w.name };
      orgField(e, w.organization);
      if (can('workspace descriptions')) put(e, 'description', w.description);
      return e;
    }),
    projects: keptProjects.sort(byName).map((p) => {
      const e: Entry = { name: p.name };
      orgField(e, p.organization);
      e.owner = p.owner;
      put(e, 'description', p.description);
      return e;
    }),
    packages: packages.sort(byName).map((p) => {
      const e: Entry = { name: p.name };
      if (creators.has(p.name)) e.createdBy = p.createdBy;
      put(e, 'description', p.description);
      return e;
    }),
    users: kept
      .sort((a, b) => (a.email < b.email ? -1 : 1))
      .map((u) => ({
        user: userEntry(u, people, loginOf(u.email, logins)),
        organization: u.organization,
        department: people.departments ? u.department : null,
      })),
    credits: grants.map((g) => ({ id: g.id, to: g.target, amount: g.amount, kind: g.kind, reason: g.reason })),
    notes,
  };
}

/** Under GitHub, a person is known by login: the declared one, or the one their noreply address stands for. */
function loginOf(email: string, logins: Map<string, string>): string | undefined {
  return logins.get(email) ?? (email.endsWith(NOREPLY) ? email.slice(0, -NOREPLY.length) : undefined);
}

interface UserContext {
  /** What the provider can hold, asked once rather than for each person. */
  names: boolean;
  github: boolean;
  departments: boolean;
  expiry: boolean;
  resends: boolean;
  projects: boolean;
  packages: boolean;
  defaultOrg: string | null;
  hasWorkspaces: boolean;
}

function userEntry(u: LiveUser, c: UserContext, login: string | undefined): ExportedUser {
  // Key order as people write it: email, name, github, role, status, ... (emit.ts writes them in this order).
  const out = { email: u.email } as ExportedUser;
  if (c.names && u.name !== null) out.name = u.name;
  if (c.github && login) out.github = login;
  out.role = u.role!;
  if (u.status !== 'active') out.status = u.status;
  if (u.organization !== null && u.organization !== c.defaultOrg) out.organization = u.organization;
  if (c.departments && u.department !== null) out.department = u.department;
  if (c.expiry && u.expires !== null) out.expires = u.expires;
  if (c.resends && u.invitationKey !== null) out.resendInvitation = u.invitationKey;
  // Declared, even when empty, so a membership added by hand later shows as drift; a user GitHub removed has none to declare.
  if (c.hasWorkspaces || Object.keys(u.workspaces).length > 0) {
    const w: Record<string, WorkspaceRole> = {};
    for (const k of Object.keys(u.workspaces).sort()) w[k] = u.workspaces[k]!;
    out.workspaces = w;
  }
  if (c.projects && u.projects.length) out.projects = sorted(u.projects);
  if (c.packages && u.packages.length) out.packages = sorted(u.packages);
  return out;
}

/** Roles SCIM and GitHub keep only as names on their users: their flags come from the hints, or GitHub's own two roles. */
function valueOnlyRoles(names: string[], opts: ExportOptions): Entry[] {
  const hinted = new Map((opts.hints?.roles ?? []).map((r) => [r.name, r]));
  return names.map((name) => {
    const h = hinted.get(name);
    const e: Entry = { name };
    if (h?.description !== undefined) e.description = h.description;
    if (h?.owner) e.owner = true;
    if (h ? h.admin : opts.provider === 'github' && name === 'admin') e.admin = true;
    return e;
  });
}

function settingsOf(live: LiveState, opts: ExportOptions, defaultOrg: string | null, policies: boolean): Entry {
  const s: Entry = { provider: opts.provider };
  put(s, 'organization', defaultOrg);
  s.unmanaged = opts.hints?.settings.unmanaged ?? 'report';
  if (opts.hints && opts.hints.settings.removal !== 'deactivate') s.removal = opts.hints.settings.removal;
  const exclude = opts.hints?.settings.exclude ?? [];
  if (exclude.length) s.exclude = [...exclude].sort();
  // The guards the live system recorded (postgres); elsewhere the existing declaration's.
  const guards = live.guards ? { ...DEFAULT_GUARDS, ...live.guards } : (opts.hints?.settings.guards ?? DEFAULT_GUARDS);
  const g = Object.fromEntries(Object.entries(guards).filter(([k, v]) => DEFAULT_GUARDS[k as keyof typeof DEFAULT_GUARDS] !== v));
  if (Object.keys(g).length) s.guards = g;
  const approvals = opts.hints?.settings.approvals.privileged;
  if (approvals) s.approvals = { privileged: { minApprovals: approvals.minApprovals, approvers: [...approvals.approvers] } };
  if (policies) {
    const p: Entry = {};
    for (const key of ['signupCredits', 'lowBalanceThreshold', 'creditExpiryDays'] as const) put(p, key, live.policies[key]);
    if (Object.keys(p).length) s.policies = p;
  }
  return s;
}
