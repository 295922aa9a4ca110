import { ProviderError } from '../../errors.ts';
import type { Step } from '../../model/plan.ts';
import type { Fields } from '../../model/json.ts';
import { pseudonym, pseudonymKey, signupPseudonym } from './pseudonym.ts';
import type { SqlClient } from './sql.ts';

const name = (step: Step) => (step.after?.name ?? step.before?.name) as string;

/** Column names for the fields a step may change. */
const COLUMNS: Record<string, Record<string, string>> = {
  organization: { displayName: 'display_name', managed: 'managed' },
  role: { description: 'description', owner: 'is_owner', admin: 'is_admin', permissions: 'permissions', managed: 'managed' },
  workspace: { organization: 'organization', description: 'description', archived: 'archived', managed: 'managed' },
  project: { organization: 'organization', description: 'description', archived: 'archived', managed: 'managed' },
  package: { createdBy: 'created_by', description: 'description', managed: 'managed' },
  user: { name: 'name', role: 'role', department: 'department', expires: 'expires', managed: 'managed', status: 'status', organization: 'organization' },
};
const TABLES: Record<string, string> = { organization: 'organizations', role: 'roles', workspace: 'workspaces', project: 'projects', package: 'packages', user: 'users' };

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

/**
 * Performs one step. Every statement is idempotent (upserts, conditional
 * deletes, ON CONFLICT DO NOTHING), so a step repeated after a crash changes
 * nothing twice.
 */
export async function writeStep(sql: SqlClient, step: Step): Promise<void> {
  const a = step.after ?? {};
  const b = step.before ?? {};
  const type = step.kind.slice(0, step.kind.indexOf('.'));
  switch (step.kind) {
    case 'organization.create':
      await sql.query(`insert into organizations (name, display_name, managed) values ($1, $2, true) on conflict (name) do update set display_name = excluded.display_name, managed = true`, [a.name, a.displayName]);
      return;
    case 'role.create':
      await sql.query(
        `insert into roles (name, description, is_owner, is_admin, permissions, managed) values ($1, $2, $3, $4, $5, true)
         on conflict (name) do update set description = excluded.description, is_owner = excluded.is_owner, is_admin = excluded.is_admin, permissions = excluded.permissions, managed = true`,
        [a.name, a.description, a.owner ?? false, a.admin ?? false, JSON.stringify(a.permissions ?? {})],
      );
      return;
    case 'workspace.create':
      await sql.query(
        `insert into workspaces (name, organization, description, managed) values ($1, $2, $3, true)
         on conflict (name) do update set organization = excluded.organization, description = excluded.description, archived = false, managed = true`,
        [a.name, a.organization, a.description],
      );
      return;
    case 'workspace.rename':
      // Memberships follow through ON UPDATE CASCADE. Repeating it after it happened finds no row.
      await sql.query(`update workspaces set name = $2 where name = $1 and not exists (select 1 from workspaces where name = $2)`, [b.name, a.name]);
      return;
    case 'project.create':
      await sql.query(
        `insert into projects (name, organization, description, managed) values ($1, $2, $3, true)
         on conflict (name) do update set organization = excluded.organization, description = excluded.description, archived = false, managed = true`,
        [a.name, a.organization, a.description],
      );
      return;
    case 'package.create':
      await sql.query(
        `insert into packages (name, created_by, description, managed) values ($1, $2, $3, true)
         on conflict (name) do update set created_by = excluded.created_by, description = excluded.description, managed = true`,
        [a.name, a.createdBy, a.description],
      );
      return;
    case 'organization.adopt':
    case 'organization.update':
    case 'role.adopt':
    case 'role.update':
    case 'workspace.adopt':
    case 'workspace.update':
    case 'project.adopt':
    case 'project.update':
    case 'package.adopt':
    case 'package.update':
      await updateColumns(sql, type, 'name', name(step), a);
      return;
    case 'workspace.archive':
    case 'project.archive':
      await sql.query(`update ${TABLES[type]} set archived = true where name = $1`, [b.name]);
      return;
    case 'package.delete':
      await sql.query(`delete from packages where name = $1`, [b.name]);
      return;
    case 'role.delete':
    case 'organization.delete':
      await sql.query(`delete from ${TABLES[type]} where name = $1 and managed`, [b.name]);
      return;
    case 'settings.update': {
      const [key, value] = Object.entries(a)[0]!;
      await sql.query(`insert into platform_settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value`, [key, JSON.stringify(value)]);
      return;
    }
    case 'user.create':
      await sql.query(
        `insert into users (email, name, role, status, organization, department, expires, managed, signup_credits) values ($1, $2, $3, $4, $5, $6, $7, true, $8)
         on conflict (email) do nothing`,
        [a.email, a.name, a.role, a.status, a.organization, a.department, a.expires, a.signupCredits ?? 0],
      );
      if (a.status === 'invited') {
        await sql.query(`insert into invitations (email, invitation_key) values ($1, $2) on conflict (email) do nothing`, [a.email, a.invitationKey]);
      }
      return;
    case 'user.adopt':
    case 'user.update':
    case 'user.transfer':
    case 'user.reactivate':
    case 'user.suspend':
    case 'user.deactivate':
      await updateColumns(sql, 'user', 'email', (a.email ?? b.email) as string, a);
      return;
    case 'invitation.resend':
      await sql.query(
        `insert into invitations (email, invitation_key) values ($1, $2)
         on conflict (email) do update set invitation_key = excluded.invitation_key, sent_count = invitations.sent_count + 1, last_sent_at = now()
         where invitations.invitation_key is distinct from excluded.invitation_key`,
        [a.email, a.invitationKey],
      );
      return;
    case 'user.delete': {
      const email = b.email as string;
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
      return;
    }
    case 'membership.set':
      await sql.query(`insert into workspace_members (workspace, email, role) values ($1, $2, $3) on conflict (workspace, email) do update set role = excluded.role`, [a.workspace, a.user, a.role]);
      return;
    case 'membership.remove':
      await sql.query(`delete from workspace_members where workspace = $1 and email = $2`, [b.workspace, b.user]);
      return;
    case 'project.assign':
      await sql.query(`insert into project_members (project, email) values ($1, $2) on conflict do nothing`, [a.project, a.user]);
      return;
    case 'project.unassign':
      await sql.query(`delete from project_members where project = $1 and email = $2`, [b.project, b.user]);
      return;
    case 'package.assign':
      await sql.query(`insert into package_assignments (package, email) values ($1, $2) on conflict do nothing`, [a.package, a.user]);
      return;
    case 'package.unassign':
      await sql.query(`delete from package_assignments where package = $1 and email = $2`, [b.package, b.user]);
      return;
    case 'project.owner':
      await sql.query(`update projects set owner = $2 where name = $1`, [a.project, a.owner]);
      return;
    case 'credit.grant': {
      const inserted = await sql.query(`insert into credit_grants (id, target, amount, kind, reason) values ($1, $2, $3, $4, $5) on conflict (id) do nothing returning id`, [
        a.id,
        JSON.stringify(a.target),
        a.amount,
        a.kind,
        a.reason,
      ]);
      // A grant already in the ledger is sealed: its entries were written with it, in one transaction.
      if (inserted.rows.length === 0) return;
      const entries = a.entries as { user: string; amount: number }[];
      if (entries.length) {
        await sql.query(
          `insert into credit_ledger (grant_id, user_email, amount, kind) select $1, u, $3, $4 from unnest($2::text[]) as u on conflict do nothing`,
          [a.id, entries.map((e) => e.user), a.amount, a.kind],
        );
      }
      return;
    }
    default: {
      const unreachable: never = step.kind;
      throw new ProviderError(`postgres provider cannot apply ${String(unreachable)}`);
    }
  }
}
