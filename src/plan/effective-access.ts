import type { DeclaredRole } from '../model/declaration.ts';
import type { WorkspaceRole } from '../model/schema.generated.ts';
import type { LiveState, LiveUser } from '../model/live.ts';

/**
 * Effective access (DESIGN §10): what a state lets each person reach, read
 * from role *definitions* and statuses rather than from step kinds. Risk
 * and guards compare it before (the live state) and after (the live state
 * with the plan's steps done), so no mix of user and role edits escapes.
 */

export type Level = 'none' | 'admin' | 'owner';
export const LEVEL_RANK: Record<Level, number> = { none: 0, admin: 1, owner: 2 };

export interface RoleFlags {
  admin: boolean;
  owner: boolean;
}

/** Effective owners and admins of one organization (owners count as admins). */
export interface OrganizationAccess {
  owners: string[];
  admins: string[];
}

export interface PersonAccess {
  email: string;
  organization: string | null;
  role: string | null;
  level: Level;
  /** Workspaces not archived, with the workspace role. */
  workspaces: Record<string, WorkspaceRole>;
  /** Projects not archived that the person is assigned to or owns. */
  projects: string[];
  /** Packages assigned, created by the person, or every package for an admin (seed 001). */
  packages: string[];
  /** The ledger's sum of the person's entries, every kind. */
  credits: number;
}

export interface EffectiveAccess {
  /** Keyed by organization name; people with no organization under null. */
  organizations: Map<string | null, OrganizationAccess>;
  /** The person as the state holds them, with or without access. */
  user(email: string): LiveUser | undefined;
  /** Level of a person in their organization (none when they have no access). */
  levelOf(email: string): Level;
  /** Everything a person reaches, or undefined when they cannot log in (a whole pass over the ledger: not for every person of a large state). */
  person(email: string): PersonAccess | undefined;
  /** The workspaces a person can log in to reach, with their role: archived ones grant nothing. Cheap. */
  workspacesOf(email: string): LiveUser['workspaces'] | undefined;
}

/** Active and invited people have access; inactive and suspended ones reach nothing. */
export const reaches = (status: string): boolean => status === 'active' || status === 'invited';

/**
 * Role definitions of a state. Where the live system keeps roles only as
 * values on its users (SCIM, GitHub), the declaration is the only
 * definition there is, so it fills in roles the state does not hold.
 */
export function roleFlags(state: LiveState, declared: readonly DeclaredRole[]): Map<string, RoleFlags> {
  const flags = new Map<string, RoleFlags>();
  for (const r of declared) flags.set(r.name, { admin: r.admin || r.owner, owner: r.owner });
  for (const r of state.roles) flags.set(r.name, { admin: r.admin || r.owner, owner: r.owner });
  return flags;
}

const levelOfRole = (flags: RoleFlags | undefined): Level => (flags?.owner ? 'owner' : flags?.admin ? 'admin' : 'none');

/** Effective access of a state, judged with the given role definitions. */
export function effectiveAccess(state: LiveState, roles: ReadonlyMap<string, RoleFlags>): EffectiveAccess {
  const users = new Map<string, LiveUser>();
  const organizations = new Map<string | null, OrganizationAccess>();
  for (const u of state.users) {
    users.set(u.email, u);
    if (!reaches(u.status)) continue;
    const level = levelOfRole(u.role === null ? undefined : roles.get(u.role));
    if (level === 'none') continue;
    let org = organizations.get(u.organization);
    if (!org) organizations.set(u.organization, (org = { owners: [], admins: [] }));
    org.admins.push(u.email);
    if (level === 'owner') org.owners.push(u.email);
  }
  const levelOf = (email: string): Level => {
    const u = users.get(email);
    return u && reaches(u.status) && u.role !== null ? levelOfRole(roles.get(u.role)) : 'none';
  };
  const archivedWorkspaces = new Set(state.workspaces.filter((w) => w.archived).map((w) => w.name));
  const workspacesOf = (email: string): LiveUser['workspaces'] | undefined => {
    const u = users.get(email);
    if (!u || !reaches(u.status)) return undefined;
    if (archivedWorkspaces.size === 0) return u.workspaces;
    return Object.fromEntries(Object.entries(u.workspaces).filter(([ws]) => !archivedWorkspaces.has(ws)));
  };
  return {
    organizations,
    levelOf,
    workspacesOf,
    user: (email) => users.get(email),
    person(email) {
      const u = users.get(email);
      if (!u || !reaches(u.status)) return undefined;
      const level = levelOf(email);
      const liveProjects = state.projects.filter((p) => !p.archived);
      const workspaces = workspacesOf(email)!;
      const projects = liveProjects.filter((p) => u.projects.includes(p.name) || p.owner === email).map((p) => p.name);
      const packages = state.packages.filter((p) => level !== 'none' || u.packages.includes(p.name) || p.createdBy === email).map((p) => p.name);
      let credits = 0;
      for (const g of state.grants) for (const e of g.entries) if (e.user === email) credits += e.amount;
      return { email, organization: u.organization, role: u.role, level, workspaces, projects: projects.sort(), packages: packages.sort(), credits };
    },
  };
}
