import { matchesSelector } from '../src/model/access.ts';
import type { SqlClient } from '../src/providers/postgres/sql.ts';
import { hasAccess, type Model } from './model.ts';

/**
 * How the seeded store differs from the declaration. `drift`: about 1% of
 * the people differ in one way each (role, department, a membership, status,
 * missing, or live-only). `creates`: one person in ten is missing, so the
 * plan creates them with their memberships, assignments and grants.
 */
export type Scenario = 'drift' | 'creates';

const ROWS_PER_STATEMENT = 10_000;

interface LiveRowUser {
  email: string;
  name: string;
  role: string;
  status: string;
  organization: string;
  department: string;
  expires: string | null;
  managed: boolean;
}

/** Which people the scenario leaves out of the store, and how it changes the others. */
function liveUsers(model: Model, scenario: Scenario): { users: LiveRowUser[]; memberships: [string, string, string][]; absent: Set<string> } {
  const owners = new Set(model.projects.map((p) => p.owner));
  // `creates`: exactly one person in ten is missing (project owners stay: the projects refer to them).
  const missingForCreates = new Set(
    model.users
      .filter((u) => u.index > 0 && !owners.has(u.email))
      .sort((a, b) => Number(a.index % 10 !== 7) - Number(b.index % 10 !== 7) || a.index - b.index)
      .slice(0, Math.floor(model.size / 10))
      .map((u) => u.email),
  );
  const absent = new Set<string>();
  const users: LiveRowUser[] = [];
  const memberships: [string, string, string][] = [];
  for (const u of model.users) {
    const i = u.index;
    const missing = scenario === 'creates' ? missingForCreates.has(u.email) : !owners.has(u.email) && i % 1000 === 999;
    if (missing) {
      absent.add(u.email);
      continue;
    }
    const row: LiveRowUser = {
      email: u.email,
      name: u.name,
      role: u.role,
      status: hasAccess(u) ? 'active' : u.status === 'suspended' ? 'suspended' : 'inactive',
      organization: u.organization,
      department: u.department,
      expires: u.expires ?? null,
      managed: true,
    };
    const ws = Object.entries(u.workspaces);
    if (scenario === 'drift') {
      if (i % 500 === 50 && u.role === 'member') row.role = 'auditor';
      if (i % 500 === 150) row.department = 'Reorganised';
      if (i % 500 === 250 && hasAccess(u) && !owners.has(u.email)) row.status = 'inactive';
      if (i % 500 === 350) ws.shift(); // a membership removed by hand in the console
      if (i % 500 === 450) ws.push([model.workspaces.find((w) => w.organization === u.organization && !(w.name in u.workspaces))!.name, 'viewer']);
    }
    users.push(row);
    for (const [w, r] of ws) memberships.push([w, u.email, r]);
  }
  if (scenario === 'drift') {
    // People nobody declared: some roster once managed (deactivated now), some created by hand (reported).
    for (let k = 0; k < Math.max(1, model.size / 2000); k++) {
      for (const managed of [true, false]) {
        users.push({
          email: `${managed ? 'left' : 'console'}.${k}@acme.test`,
          name: `Former ${k}`,
          role: 'member',
          status: 'active',
          organization: 'acme',
          department: 'Sales',
          expires: null,
          managed,
        });
      }
    }
  }
  return { users, memberships, absent };
}

/** Inserts rows with one statement per ROWS_PER_STATEMENT: `insert … select from unnest(…)`. */
async function insertRows(sql: SqlClient, table: string, columns: string[], types: string[], rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const arrays = columns.map((_, c) => chunk.map((r) => r[c]));
    const params = types.map((t, c) => `$${c + 1}::${t === 'jsonb' ? 'text' : t}[]`);
    const select = types.map((t, c) => (t === 'jsonb' ? `c${c}::jsonb` : `c${c}`));
    await sql.query(
      `insert into ${table} (${columns.join(', ')}) select ${select.join(', ')} from unnest(${params.join(', ')}) as t(${columns.map((_, c) => `c${c}`).join(', ')})`,
      arrays,
    );
  }
}

/** Writes the live state of the model, changed by the scenario, into an empty migrated store. */
export async function seedStore(sql: SqlClient, model: Model, scenario: Scenario): Promise<{ users: number; absent: number }> {
  const { users, memberships, absent } = liveUsers(model, scenario);
  await sql.transaction(async (tx) => {
    await insertRows(
      tx,
      'organizations',
      ['name', 'display_name', 'managed'],
      ['text', 'text', 'bool'],
      model.organizations.map((o) => [o, `${o[0]!.toUpperCase()}${o.slice(1)} Corp`, true]),
    );
    await insertRows(
      tx,
      'roles',
      ['name', 'description', 'is_owner', 'is_admin', 'permissions', 'managed'],
      ['text', 'text', 'bool', 'bool', 'jsonb', 'bool'],
      model.roles.map((r) => [
        r.name,
        r.description ?? null,
        r.owner ?? false,
        (r.admin ?? false) || (r.owner ?? false),
        JSON.stringify(r.permissions ?? {}),
        true,
      ]),
    );
    await insertRows(
      tx,
      'workspaces',
      ['name', 'organization', 'description', 'managed'],
      ['text', 'text', 'text', 'bool'],
      model.workspaces.map((w) => [w.name, w.organization, w.description ?? null, true]),
    );
    await insertRows(
      tx,
      'users',
      ['email', 'name', 'role', 'status', 'organization', 'department', 'expires', 'managed'],
      ['text', 'text', 'text', 'text', 'text', 'text', 'date', 'bool'],
      users.map((u) => [u.email, u.name, u.role, u.status, u.organization, u.department, u.expires, u.managed]),
    );
    await insertRows(
      tx,
      'projects',
      ['name', 'organization', 'owner', 'description', 'managed'],
      ['text', 'text', 'text', 'text', 'bool'],
      model.projects.map((p) => [p.name, p.organization, p.owner, p.description, true]),
    );
    await insertRows(
      tx,
      'packages',
      ['name', 'created_by', 'managed'],
      ['text', 'text', 'bool'],
      model.packages.map((p) => [p.name, p.createdBy, true]),
    );
    await insertRows(tx, 'workspace_members', ['workspace', 'email', 'role'], ['text', 'text', 'text'], memberships);
    const present = model.users.filter((u) => !absent.has(u.email));
    await insertRows(
      tx,
      'project_members',
      ['project', 'email'],
      ['text', 'text'],
      present.flatMap((u) => (u.projects ?? []).map((p) => [p, u.email])),
    );
    await insertRows(
      tx,
      'package_assignments',
      ['package', 'email'],
      ['text', 'text'],
      present.flatMap((u) => (u.packages ?? []).map((p) => [p, u.email])),
    );

    // Grants already applied: every declared grant whose receivers exist; selector grants sealed with today's matches.
    const applied = model.credits.filter((c) => typeof c.to !== 'string' || !absent.has(c.to));
    await insertRows(
      tx,
      'credit_grants',
      ['id', 'target', 'amount', 'kind', 'reason'],
      ['text', 'jsonb', 'int8', 'text', 'text'],
      applied.map((c) => [c.id, JSON.stringify(c.to), c.amount, c.kind ?? 'awarded', c.reason]),
    );
    const entries = applied.flatMap((c) => {
      const to = c.to;
      const receivers = typeof to === 'string' ? [to] : present.filter((u) => hasAccess(u) && matchesSelector(u, to)).map((u) => u.email);
      return receivers.map((email) => [c.id, email, c.amount, c.kind ?? 'awarded']);
    });
    await insertRows(tx, 'credit_ledger', ['grant_id', 'user_email', 'amount', 'kind'], ['text', 'text', 'int8', 'text'], entries);
  });
  return { users: users.length, absent: absent.size };
}
