import { ProviderError } from '../../errors.ts';
import type { Step, StepKind } from '../../model/plan.ts';
import type { Fields } from '../../model/json.ts';
import { pseudonym, pseudonymKey, signupPseudonym } from './pseudonym.ts';
import type { SqlClient } from './sql.ts';

/** Column names for the fields a step may change. */
const COLUMNS: Record<string, Record<string, string>> = {
  organization: { displayName: 'display_name', managed: 'managed' },
  role: { description: 'description', owner: 'is_owner', admin: 'is_admin', permissions: 'permissions', managed: 'managed' },
  workspace: { organization: 'organization', description: 'description', archived: 'archived', managed: 'managed' },
  project: { organization: 'organization', description: 'description', archived: 'archived', managed: 'managed' },
  package: { createdBy: 'created_by', description: 'description', managed: 'managed' },
  user: { name: 'name', role: 'role', department: 'department', expires: 'expires', managed: 'managed', status: 'status', organization: 'organization' },
};
const TABLES: Record<string, string> = {
  organization: 'organizations',
  role: 'roles',
  workspace: 'workspaces',
  project: 'projects',
  package: 'packages',
  user: 'users',
};

async function updateColumns(sql: SqlClient, type: string, keyColumn: string, key: string, fields: Fields): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [key];
  for (const [field, value] of Object.entries(fields)) {
    const column = COLUMNS[type]![field];
    if (!column) continue;
    params.push(column === 'permissions' ? JSON.stringify(value ?? {}) : value);
    sets.push(`${column} = $${params.length}`);
  }
  if (type === 'user') sets.push('updated_at = now()');
  if (sets.length === 0) return;
  await sql.query(`update ${TABLES[type]} set ${sets.join(', ')} where ${keyColumn} = $1`, params);
}

type Writer<K extends StepKind> = (sql: SqlClient, step: Step<K>) => Promise<void>;

/** Adopting or updating an entity: the columns of the fields that changed. */
const updateNamed =
  (type: string) =>
  (sql: SqlClient, { after }: { after: Fields & { name: string } }): Promise<void> =>
    updateColumns(sql, type, 'name', after.name, after);

/** Any change to a person but their creation and deletion: the columns of the fields it names. */
const updateUser = (sql: SqlClient, { after }: { after: Fields & { email: string } }): Promise<void> => updateColumns(sql, 'user', 'email', after.email, after);

const archive =
  (table: string) =>
  async (sql: SqlClient, { before }: { before: { name: string } }): Promise<void> => {
    await sql.query(`update ${table} set archived = true where name = $1`, [before.name]);
  };

/** Only what roster manages: one the store made itself is never removed under it. */
const deleteManaged =
  (table: string) =>
  async (sql: SqlClient, { before }: { before: { name: string } }): Promise<void> => {
    await sql.query(`delete from ${table} where name = $1 and managed`, [before.name]);
  };

async function deleteUser(sql: SqlClient, { before }: Step<'user.delete'>): Promise<void> {
  const email = before.email;
  // Ledger rows stay, under a keyed pseudonym, so balances and audits still add up (seed 000).
  const key = await pseudonymKey(sql);
  const anonymised = pseudonym(key, email);
  await sql.query(`update credit_ledger set user_email = $2 where user_email = $1`, [email, anonymised]);
  await sql.query(`update credit_grants set target = to_jsonb($2::text) where target = to_jsonb($1::text)`, [email, anonymised]);
  // Their signup grant's id named them; renamed (the ledger follows, on update cascade), it is still paid exactly once.
  await sql.query(`update credit_grants set id = $2 where id = $1`, [`signup:${email}`, signupPseudonym(key, email)]);
  await sql.query(`update packages set created_by = null where created_by = $1`, [email]);
  await sql.query(`update projects set owner = null where owner = $1`, [email]);
  await sql.query(`delete from users where email = $1`, [email]);
}

async function grantCredits(sql: SqlClient, { after: a }: Step<'credit.grant'>): Promise<void> {
  const inserted = await sql.query(
    `insert into credit_grants (id, target, amount, kind, reason) values ($1, $2, $3, $4, $5) on conflict (id) do nothing returning id`,
    [a.id, JSON.stringify(a.target), a.amount, a.kind, a.reason],
  );
  // A grant already in the ledger is sealed: its entries were written with it, in one transaction.
  if (inserted.rows.length === 0) return;
  if (a.entries.length) {
    await sql.query(`insert into credit_ledger (grant_id, user_email, amount, kind) select $1, u, $3, $4 from unnest($2::text[]) as u on conflict do nothing`, [
      a.id,
      a.entries.map((e) => e.user),
      a.amount,
      a.kind,
    ]);
  }
}

async function createUser(sql: SqlClient, { after: a }: Step<'user.create'>): Promise<void> {
  await sql.query(
    `insert into users (email, name, role, status, organization, department, expires, managed, signup_credits) values ($1, $2, $3, $4, $5, $6, $7, true, $8)
     on conflict (email) do nothing`,
    [a.email, a.name, a.role, a.status, a.organization, a.department, a.expires, a.signupCredits ?? 0],
  );
  if (a.status === 'invited') {
    await sql.query(`insert into invitations (email, invitation_key) values ($1, $2) on conflict (email) do nothing`, [a.email, a.invitationKey]);
  }
}

/**
 * Each kind's statements. Every one is idempotent (upserts, conditional
 * deletes, ON CONFLICT DO NOTHING), so a step repeated after a crash
 * changes nothing twice.
 */
const WRITERS: { [K in StepKind]: Writer<K> } = {
  'organization.create': async (sql, { after: a }) => {
    await sql.query(
      `insert into organizations (name, display_name, managed) values ($1, $2, true) on conflict (name) do update set display_name = excluded.display_name, managed = true`,
      [a.name, a.displayName],
    );
  },
  'organization.adopt': updateNamed('organization'),
  'organization.update': updateNamed('organization'),
  'organization.delete': deleteManaged('organizations'),
  'role.create': async (sql, { after: a }) => {
    await sql.query(
      `insert into roles (name, description, is_owner, is_admin, permissions, managed) values ($1, $2, $3, $4, $5, true)
       on conflict (name) do update set description = excluded.description, is_owner = excluded.is_owner, is_admin = excluded.is_admin, permissions = excluded.permissions, managed = true`,
      [a.name, a.description, a.owner ?? false, a.admin ?? false, JSON.stringify(a.permissions ?? {})],
    );
  },
  'role.adopt': updateNamed('role'),
  'role.update': updateNamed('role'),
  'role.delete': deleteManaged('roles'),
  'workspace.create': async (sql, { after: a }) => {
    await sql.query(
      `insert into workspaces (name, organization, description, managed) values ($1, $2, $3, true)
       on conflict (name) do update set organization = excluded.organization, description = excluded.description, archived = false, managed = true`,
      [a.name, a.organization, a.description],
    );
  },
  'workspace.adopt': updateNamed('workspace'),
  'workspace.rename': async (sql, { before, after }) => {
    // Memberships follow through ON UPDATE CASCADE. Repeating it after it happened finds no row.
    await sql.query(`update workspaces set name = $2 where name = $1 and not exists (select 1 from workspaces where name = $2)`, [before.name, after.name]);
  },
  'workspace.update': updateNamed('workspace'),
  'workspace.archive': archive('workspaces'),
  'project.create': async (sql, { after: a }) => {
    await sql.query(
      `insert into projects (name, organization, description, managed) values ($1, $2, $3, true)
       on conflict (name) do update set organization = excluded.organization, description = excluded.description, archived = false, managed = true`,
      [a.name, a.organization, a.description],
    );
  },
  'project.adopt': updateNamed('project'),
  'project.update': updateNamed('project'),
  'project.owner': async (sql, { after: a }) => {
    await sql.query(`update projects set owner = $2 where name = $1`, [a.project, a.owner]);
  },
  'project.archive': archive('projects'),
  'package.create': async (sql, { after: a }) => {
    await sql.query(
      `insert into packages (name, created_by, description, managed) values ($1, $2, $3, true)
       on conflict (name) do update set created_by = excluded.created_by, description = excluded.description, managed = true`,
      [a.name, a.createdBy, a.description],
    );
  },
  'package.adopt': updateNamed('package'),
  'package.update': updateNamed('package'),
  'package.delete': async (sql, { before }) => {
    await sql.query(`delete from packages where name = $1`, [before.name]);
  },
  'settings.update': async (sql, { after }) => {
    const [key, value] = Object.entries(after)[0]!;
    await sql.query(`insert into platform_settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value`, [
      key,
      JSON.stringify(value),
    ]);
  },
  'user.create': createUser,
  'user.adopt': updateUser,
  'user.update': updateUser,
  'user.transfer': updateUser,
  'user.reactivate': updateUser,
  'user.suspend': updateUser,
  'invitation.resend': async (sql, { after: a }) => {
    await sql.query(
      `insert into invitations (email, invitation_key) values ($1, $2)
       on conflict (email) do update set invitation_key = excluded.invitation_key, sent_count = invitations.sent_count + 1, last_sent_at = now()
       where invitations.invitation_key is distinct from excluded.invitation_key`,
      [a.email, a.invitationKey],
    );
  },
  'membership.set': async (sql, { after: a }) => {
    await sql.query(
      `insert into workspace_members (workspace, email, role) values ($1, $2, $3) on conflict (workspace, email) do update set role = excluded.role`,
      [a.workspace, a.user, a.role],
    );
  },
  'project.assign': async (sql, { after: a }) => {
    await sql.query(`insert into project_members (project, email) values ($1, $2) on conflict do nothing`, [a.project, a.user]);
  },
  'package.assign': async (sql, { after: a }) => {
    await sql.query(`insert into package_assignments (package, email) values ($1, $2) on conflict do nothing`, [a.package, a.user]);
  },
  'credit.grant': grantCredits,
  'membership.remove': async (sql, { before: b }) => {
    await sql.query(`delete from workspace_members where workspace = $1 and email = $2`, [b.workspace, b.user]);
  },
  'project.unassign': async (sql, { before: b }) => {
    await sql.query(`delete from project_members where project = $1 and email = $2`, [b.project, b.user]);
  },
  'package.unassign': async (sql, { before: b }) => {
    await sql.query(`delete from package_assignments where package = $1 and email = $2`, [b.package, b.user]);
  },
  'user.deactivate': updateUser,
  'user.delete': deleteUser,
};

/** Performs one step (see WRITERS). */
export function writeStep<K extends StepKind>(sql: SqlClient, step: Step<K>): Promise<void> {
  const write: Writer<K> | undefined = WRITERS[step.kind];
  if (!write) throw new ProviderError(`postgres provider cannot apply ${String(step.kind)}`);
  return write(sql, step);
}
