import type { SqlClient } from '../../src/providers/postgres/sql.ts';
import { EXCLUDED, effectivelyActive, hasAccess, type Drift, type Model, type Selector } from './convergence-model.ts';

/**
 * The independent judge of the convergence property: the store read with
 * plain SQL (not roster's reader), and what it must hold after an apply
 * worked out naively from the declaration and the store before it (not by
 * planning again).
 */

interface SnapshotUser {
  name: string | null;
  role: string | null;
  status: string;
  organization: string | null;
  department: string | null;
  expires: string | null;
  managed: boolean;
  signupCredits: number;
  invitationKey: string | null;
  workspaces: Record<string, string>;
  projects: string[];
  packages: string[];
}

export interface Snapshot {
  organizations: Record<string, { displayName: string | null; managed: boolean }>;
  roles: Record<string, { description: string | null; owner: boolean; admin: boolean; permissions: Record<string, string[]>; managed: boolean }>;
  workspaces: Record<string, { organization: string | null; description: string | null; archived: boolean; managed: boolean }>;
  projects: Record<string, { organization: string | null; owner: string | null; description: string | null; archived: boolean; managed: boolean }>;
  packages: Record<string, { createdBy: string | null; description: string | null; managed: boolean }>;
  users: Record<string, SnapshotUser>;
  /** Ledger entries as `user:amount`, sorted; a deleted user's rows read `deleted:amount`. */
  grants: Record<string, { target: unknown; amount: number; kind: string; reason: string; entries: string[] }>;
  settings: Record<string, unknown>;
}

/** Permissions are a set: resources and actions sorted. */
const asSet = (p: Record<string, string[]>) =>
  Object.fromEntries(
    Object.keys(p)
      .sort()
      .map((k) => [k, [...p[k]!].sort()]),
  );

export async function snapshot(sql: SqlClient): Promise<Snapshot> {
  const rows = async <T>(text: string) => (await sql.query<T>(text)).rows;
  const s: Snapshot = { organizations: {}, roles: {}, workspaces: {}, projects: {}, packages: {}, users: {}, grants: {}, settings: {} };
  for (const o of await rows<{ name: string; display_name: string | null; managed: boolean }>('select * from organizations'))
    s.organizations[o.name] = { displayName: o.display_name, managed: o.managed };
  for (const r of await rows<{ name: string; description: string | null; is_owner: boolean; is_admin: boolean; permissions: string; managed: boolean }>(
    'select name, description, is_owner, is_admin, permissions::text as permissions, managed from roles',
  )) {
    s.roles[r.name] = {
      description: r.description,
      owner: r.is_owner,
      admin: r.is_admin,
      permissions: asSet(JSON.parse(r.permissions) as Record<string, string[]>),
      managed: r.managed,
    };
  }
  for (const w of await rows<{ name: string; organization: string | null; description: string | null; archived: boolean; managed: boolean }>(
    'select * from workspaces',
  )) {
    s.workspaces[w.name] = { organization: w.organization, description: w.description, archived: w.archived, managed: w.managed };
  }
  for (const p of await rows<{
    name: string;
    organization: string | null;
    owner: string | null;
    description: string | null;
    archived: boolean;
    managed: boolean;
  }>('select * from projects')) {
    s.projects[p.name] = { organization: p.organization, owner: p.owner, description: p.description, archived: p.archived, managed: p.managed };
  }
  for (const p of await rows<{ name: string; created_by: string | null; description: string | null; managed: boolean }>('select * from packages'))
    s.packages[p.name] = { createdBy: p.created_by, description: p.description, managed: p.managed };
  const users = await rows<{
    email: string;
    name: string | null;
    role: string | null;
    status: string;
    organization: string | null;
    department: string | null;
    expires: string | null;
    managed: boolean;
    signup: number;
    key: string | null;
  }>(
    `select u.email, u.name, u.role, u.status, u.organization, u.department, to_char(u.expires, 'YYYY-MM-DD') as expires, u.managed, u.signup_credits::int as signup, i.invitation_key as key
       from users u left join invitations i on i.email = u.email`,
  );
  for (const u of users) {
    s.users[u.email] = {
      name: u.name,
      role: u.role,
      status: u.status,
      organization: u.organization,
      department: u.department,
      expires: u.expires,
      managed: u.managed,
      signupCredits: u.signup,
      invitationKey: u.key,
      workspaces: {},
      projects: [],
      packages: [],
    };
  }
  for (const m of await rows<{ workspace: string; email: string; role: string }>('select * from workspace_members order by workspace'))
    s.users[m.email]!.workspaces[m.workspace] = m.role;
  for (const m of await rows<{ project: string; email: string }>('select * from project_members order by project')) s.users[m.email]!.projects.push(m.project);
  for (const m of await rows<{ package: string; email: string }>('select * from package_assignments order by package'))
    s.users[m.email]!.packages.push(m.package);
  for (const g of await rows<{ id: string; target: string; amount: number; kind: string; reason: string }>(
    'select id, target::text as target, amount::int as amount, kind, reason from credit_grants',
  )) {
    const target: unknown = JSON.parse(g.target);
    // A deleted person's address is a keyed pseudonym (its key is the store's own secret): only its shape can be checked.
    s.grants[g.id] = {
      target: typeof target === 'string' && /^deleted:[0-9a-f]{32}$/.test(target) ? 'deleted' : target,
      amount: g.amount,
      kind: g.kind,
      reason: g.reason,
      entries: [],
    };
  }
  for (const e of await rows<{ grant_id: string; user_email: string; amount: number }>(
    'select grant_id, user_email, amount::int as amount from credit_ledger',
  )) {
    s.grants[e.grant_id]!.entries.push(`${e.user_email.startsWith('deleted:') ? 'deleted' : e.user_email}:${e.amount}`);
  }
  for (const g of Object.values(s.grants)) g.entries.sort();
  renumberDeletedSignups(s.grants);
  for (const row of await rows<{ key: string; value: string }>('select key, value::text as value from platform_settings'))
    s.settings[row.key] = JSON.parse(row.value);
  return s;
}

const matches = (u: Model['users'][number], workspaces: Record<string, string>, to: Selector) =>
  'role' in to ? u.role === to.role : 'workspace' in to ? to.workspace in workspaces : 'organization' in to ? u.organization === to.organization : true;

/**
 * What the store must hold after applying `m` to the store `before`, by
 * DESIGN.md §1 read literally: declared fields made exact, omitted ones left
 * as they were, statuses (a new user is invited; invited <-> active is not
 * drift; expired contractors are inactive), removal and unmanaged settings,
 * renames, archives, grants applied once and selector grants sealed at first
 * apply, signup credits owed once. One apply must be enough.
 */
/**
 * A deleted person's signup grant is renamed to a keyed pseudonym the test
 * cannot compute (the store's secret): on both sides such grants (a signup
 * id, a deleted target) are keyed by their rank instead, so each must still
 * be there exactly once with the same amount and entries.
 */
function renumberDeletedSignups(grants: Snapshot['grants']): void {
  const gone = Object.entries(grants).filter(([id, g]) => id.startsWith('signup:') && g.target === 'deleted');
  for (const [id] of gone) delete grants[id];
  gone.sort(([, a], [, b]) => JSON.stringify(a).localeCompare(JSON.stringify(b))).forEach(([, g], i) => (grants[`signup:deleted#${i}`] = g));
}

export function expectedAfter(m: Model, before: Snapshot, today: string): Snapshot {
  const out = structuredClone(before);
  const declared = <T extends { name: string }>(list: T[], name: string) => list.some((x) => x.name === name);

  for (const o of m.organizations)
    out.organizations[o.name] = { displayName: o.displayName ?? before.organizations[o.name]?.displayName ?? null, managed: true };
  for (const r of m.roles) {
    const b = before.roles[r.name];
    // A role that makes owners makes admins too (normalize.ts).
    out.roles[r.name] = {
      description: r.description ?? b?.description ?? null,
      owner: r.owner,
      admin: r.admin || r.owner,
      permissions: r.permissions ? asSet(Object.fromEntries(r.permissions)) : (b?.permissions ?? {}),
      managed: true,
    };
  }

  // Renames carry the workspace and its memberships (everyone's) to the new name.
  const renamed = new Map<string, string>();
  for (const w of m.workspaces) {
    const old = before.workspaces[w.name] ? undefined : w.previously?.find((p) => before.workspaces[p]);
    if (old) renamed.set(old, w.name);
  }
  for (const [old, name] of renamed) {
    out.workspaces[name] = out.workspaces[old]!;
    delete out.workspaces[old];
  }
  for (const u of Object.values(out.users)) u.workspaces = Object.fromEntries(Object.entries(u.workspaces).map(([w, r]) => [renamed.get(w) ?? w, r]));
  for (const w of m.workspaces)
    out.workspaces[w.name] = {
      organization: w.organization,
      description: w.description ?? out.workspaces[w.name]?.description ?? null,
      archived: false,
      managed: true,
    };
  for (const [name, w] of Object.entries(out.workspaces)) if (w.managed && !declared(m.workspaces, name)) w.archived = true;

  for (const p of m.projects)
    out.projects[p.name] = {
      organization: p.organization,
      owner: p.owner,
      description: p.description ?? before.projects[p.name]?.description ?? null,
      archived: false,
      managed: true,
    };
  for (const [name, p] of Object.entries(out.projects)) if (p.managed && !declared(m.projects, name)) p.archived = true;

  for (const p of m.packages)
    out.packages[p.name] = {
      createdBy: p.createdBy ?? before.packages[p.name]?.createdBy ?? null,
      description: p.description ?? before.packages[p.name]?.description ?? null,
      managed: true,
    };
  for (const [name, p] of Object.entries(out.packages)) if (p.managed && !declared(m.packages, name)) delete out.packages[name];
  for (const u of Object.values(out.users)) u.packages = u.packages.filter((p) => out.packages[p]);

  const signup = m.settings.signupCredits ?? (before.settings.signupCredits as number | undefined) ?? 0;
  if (m.settings.signupCredits !== undefined) out.settings.signupCredits = m.settings.signupCredits;
  const created: string[] = [];
  for (const u of m.users) {
    const b = out.users[u.email];
    const want: string = hasAccess(u.status) && u.expires !== undefined && u.expires < today ? 'inactive' : u.status;
    const status = !b ? (hasAccess(want) ? 'invited' : want) : hasAccess(want) && hasAccess(b.status) ? b.status : want;
    let invitationKey = b ? b.invitationKey : status === 'invited' ? (u.resendInvitation ?? null) : null;
    if (b && u.resendInvitation !== undefined && b.status === 'invited' && hasAccess(want)) invitationKey = u.resendInvitation;
    if (!b) created.push(u.email);
    out.users[u.email] = {
      name: u.name ?? b?.name ?? null,
      role: u.role,
      status,
      organization: u.organization,
      department: u.department ?? b?.department ?? null,
      expires: u.expires ?? b?.expires ?? null,
      managed: true,
      signupCredits: b ? b.signupCredits : signup,
      invitationKey,
      workspaces: u.workspaces ?? b?.workspaces ?? {},
      projects: [...(u.projects ?? b?.projects ?? [])].sort(),
      packages: [...(u.packages ?? b?.packages ?? [])].sort(),
    };
  }

  const deleted = new Set<string>();
  for (const [email, b] of Object.entries(before.users)) {
    if (m.users.some((u) => u.email === email) || email === EXCLUDED) continue;
    if (b.managed && m.settings.removal === 'delete') deleted.add(email);
    else if (b.managed || m.settings.unmanaged === 'deactivate') out.users[email]!.status = 'inactive';
  }

  // Grants: each declared id not yet in the ledger, its entries fixed now.
  for (const c of m.credits) {
    if (before.grants[c.id]) continue;
    const to = c.to;
    const users =
      typeof to === 'string' ? [to] : m.users.filter((u) => effectivelyActive(u, today) && matches(u, out.users[u.email]!.workspaces, to)).map((u) => u.email);
    out.grants[c.id] = { target: to, amount: c.amount, kind: c.kind, reason: c.reason, entries: users.map((e) => `${e}:${c.amount}`).sort() };
  }
  const owed = [
    ...Object.entries(before.users)
      .filter(([e, u]) => u.managed && u.signupCredits > 0 && e !== EXCLUDED)
      .map(([e, u]) => [e, u.signupCredits] as const),
    ...created.map((e) => [e, signup] as const),
  ];
  for (const [email, amount] of owed) {
    const id = `signup:${email}`;
    if (amount > 0 && !out.grants[id]) out.grants[id] = { target: email, amount, kind: 'awarded', reason: 'Signup credits', entries: [`${email}:${amount}`] };
  }

  // Deleting a person keeps their ledger rows, anonymised, and leaves their projects without an owner and their packages without a creator.
  for (const email of deleted) delete out.users[email];
  for (const g of Object.values(out.grants)) if (typeof g.target === 'string' && deleted.has(g.target)) g.target = 'deleted';
  for (const g of Object.values(out.grants))
    g.entries = g.entries.map((e) => (deleted.has(e.slice(0, e.lastIndexOf(':'))) ? `deleted${e.slice(e.lastIndexOf(':'))}` : e)).sort();
  renumberDeletedSignups(out.grants);
  for (const p of Object.values(out.projects)) if (p.owner && deleted.has(p.owner)) p.owner = null;
  for (const p of Object.values(out.packages)) if (p.createdBy && deleted.has(p.createdBy)) p.createdBy = null;

  // Roles and organizations no longer declared go once nothing uses them any more.
  for (const [name, r] of Object.entries(out.roles)) {
    if (r.managed && !declared(m.roles, name) && !Object.values(out.users).some((u) => u.role === name)) delete out.roles[name];
  }
  for (const [name, o] of Object.entries(out.organizations)) {
    const inUse = [...Object.values(out.users), ...Object.values(out.workspaces), ...Object.values(out.projects)].some((x) => x.organization === name);
    if (o.managed && !declared(m.organizations, name) && !inUse) delete out.organizations[name];
  }
  return out;
}

/** Paths where two snapshots differ, as `path: live -> expected`; empty when they agree. */
export function differences(live: unknown, expected: unknown, path = ''): string[] {
  if (JSON.stringify(live) === JSON.stringify(expected)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(live) || !isObject(expected)) return [`${path}: ${JSON.stringify(live)} -> expected ${JSON.stringify(expected)}`];
  const keys = [...new Set([...Object.keys(live), ...Object.keys(expected)])].sort();
  return keys.flatMap((k) => differences(live[k], expected[k], path ? `${path}.${k}` : k));
}

/** Changes made in the store behind roster's back, in plain SQL; a change whose target is missing does nothing. */
export async function applyDrift(sql: SqlClient, changes: Drift): Promise<void> {
  for (const c of changes) {
    switch (c.op) {
      case 'role': {
        const set = {
          admin: 'is_admin = not is_admin',
          owner: 'is_owner = not is_owner',
          permissions: `permissions = '{"zeta":["x"],"analytics":["view"]}'::jsonb`,
          description: `description = 'drifted'`,
        }[c.change];
        await sql.query(`update roles set ${set} where name = $1`, [c.role]);
        break;
      }
      case 'join':
        await sql.query(
          `insert into workspace_members (workspace, email, role) select $1, $2, $3 where exists (select 1 from users where email = $2) and exists (select 1 from workspaces where name = $1)
           on conflict (workspace, email) do update set role = excluded.role`,
          [c.workspace, c.email, c.role],
        );
        break;
      case 'deactivate':
        await sql.query(`update users set status = 'inactive' where email = $1`, [c.email]);
        break;
      case 'accept':
        await sql.query(`update users set status = 'active' where email = $1 and status = 'invited'`, [c.email]);
        break;
      case 'department':
        await sql.query(`update users set department = 'Drifted' where email = $1`, [c.email]);
        break;
      case 'stranger':
        await sql.query(
          `insert into users (email, role, status, organization, managed) values ($1, 'member', 'active', 'acme', false) on conflict do nothing`,
          [c.email],
        );
        break;
      case 'unassign':
        await sql.query(`delete from project_members where email = $1`, [c.email]);
        await sql.query(`delete from package_assignments where email = $1`, [c.email]);
        break;
      case 'excluded':
        // The break-glass account moves to whatever role and organization exist: roster must never remove them under it.
        await sql.query(
          `update users set role = coalesce((select name from roles where name = $2), role), organization = coalesce((select name from organizations where name = $3), organization) where email = $1`,
          [EXCLUDED, c.role, c.organization],
        );
        break;
      case 'creator':
        await sql.query(`update packages set created_by = $2 where name = $1`, [c.pkg, c.email]);
        break;
    }
  }
}
