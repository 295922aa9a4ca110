import type { CreditKind, CreditTarget, UserStatus, WorkspaceRole } from '../../declaration/types.ts';
import type { LiveGrant, LiveState, LiveUser } from '../types.ts';
import type { SqlClient } from './sql.ts';

/**
 * The big tables come back as one JSON text each (rows of arrays, aggregated
 * in SQL): the per-row, per-column result decoding of the drivers costs ten
 * times more than the query on 100,000 rows, and one JSON.parse is cheap.
 */
const asJsonRows = (select: string, from: string, orderBy: string) => `select coalesce(json_agg(json_build_array(${select}) order by ${orderBy}), '[]')::text as rows from ${from}`;

const USERS = asJsonRows(
  `u.email, u.name, u.role, u.status, u.organization, u.department, to_char(u.expires, 'YYYY-MM-DD'), u.managed, i.invitation_key, u.signup_credits::float8`,
  'users u left join invitations i on i.email = u.email',
  'u.email',
);
const MEMBERS = asJsonRows('workspace, email, role', 'workspace_members', 'workspace, email');
const PROJECT_MEMBERS = asJsonRows('project, email', 'project_members', 'project, email');
const ASSIGNMENTS = asJsonRows('package, email', 'package_assignments', 'package, email');
const GRANTS = asJsonRows('id, target, amount::float8, kind, reason', 'credit_grants', 'id');
const LEDGER = asJsonRows('grant_id, user_email, amount::float8', 'credit_ledger', 'grant_id, user_email');

type UserRow = [string, string | null, string | null, UserStatus, string | null, string | null, string | null, boolean, string | null, number];

/**
 * The whole live state in a handful of set queries; dates and numbers cast in
 * SQL so both engines return the same shapes. Objects are built with their
 * keys in sorted order, so the plan's fingerprint of them is written natively.
 */
export async function readLiveState(sql: SqlClient): Promise<LiveState> {
  return sql.transaction(async (tx) => {
    // One snapshot for all queries.
    await tx.exec('set transaction isolation level repeatable read, read only');
    const q = <T>(text: string) => tx.query<T>(text).then((r) => r.rows);
    const rows = async <T>(text: string) => JSON.parse((await q<{ rows: string }>(text))[0]!.rows) as T[];
    // One after another: a connection runs one query at a time anyway.
    const organizations = await q<{ name: string; displayName: string | null; managed: boolean }>('select display_name as "displayName", managed, name from organizations order by name');
    const roles = await q<{ name: string; description: string | null; owner: boolean; admin: boolean; permissions: Record<string, string[]>; managed: boolean }>(
      'select is_admin as admin, description, managed, name, is_owner as owner, permissions from roles order by name',
    );
    const workspaces = await q<{ name: string; organization: string | null; description: string | null; archived: boolean; managed: boolean }>(
      'select archived, description, managed, name, organization from workspaces order by name',
    );
    const projects = await q<{ name: string; organization: string | null; owner: string | null; description: string | null; archived: boolean; managed: boolean }>(
      'select archived, description, managed, name, organization, owner from projects order by name',
    );
    const packages = await q<{ name: string; createdBy: string | null; description: string | null; managed: boolean }>('select created_by as "createdBy", description, managed, name from packages order by name');
    const users = await rows<UserRow>(USERS);
    const members = await rows<[string, string, WorkspaceRole]>(MEMBERS);
    const projectMembers = await rows<[string, string]>(PROJECT_MEMBERS);
    const assignments = await rows<[string, string]>(ASSIGNMENTS);
    const grants = await rows<[string, CreditTarget, number, CreditKind, string]>(GRANTS);
    const ledger = await rows<[string, string, number]>(LEDGER);
    const settings = await q<{ key: string; value: unknown }>('select key, value from platform_settings');

    const byEmail = new Map<string, LiveUser>();
    const liveUsers = users.map(([email, name, role, status, organization, department, expires, managed, invitationKey, signupCredits]) => {
      const user: LiveUser = { department, email, expires, invitationKey, managed, name, organization, packages: [], projects: [], role, signupCredits, status, workspaces: {} };
      byEmail.set(email, user);
      return user;
    });
    for (const [workspace, email, role] of members) {
      const u = byEmail.get(email);
      if (u) u.workspaces[workspace] = role;
    }
    for (const [project, email] of projectMembers) byEmail.get(email)?.projects.push(project);
    for (const [pkg, email] of assignments) byEmail.get(email)?.packages.push(pkg);

    const grantsById = new Map<string, LiveGrant>(grants.map(([id, target, amount, kind, reason]) => [id, { amount, entries: [], id, kind, reason, target }]));
    for (const [grantId, user, amount] of ledger) grantsById.get(grantId)?.entries.push({ amount, user });

    const setting = (key: string) => {
      const row = settings.find((s) => s.key === key);
      return row === undefined ? null : (row.value as number | null);
    };
    return {
      grants: [...grantsById.values()],
      organizations,
      packages,
      policies: { creditExpiryDays: setting('creditExpiryDays'), lowBalanceThreshold: setting('lowBalanceThreshold'), signupCredits: setting('signupCredits') },
      projects,
      roles,
      users: liveUsers,
      workspaces,
    };
  });
}
