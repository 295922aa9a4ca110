import type { CreditKind, CreditTarget, UserStatus, WorkspaceRole } from '../../declaration/types.ts';
import type { LiveGrant, LiveState, LiveUser } from '../types.ts';
import type { SqlClient } from './sql.ts';

/** The whole live state in a handful of set queries; dates and numbers cast in SQL so both engines return the same shapes. */
export async function readLiveState(sql: SqlClient): Promise<LiveState> {
  return sql.transaction(async (tx) => {
    // One snapshot for all queries.
    await tx.exec('set transaction isolation level repeatable read, read only');
    const q = <T>(text: string) => tx.query<T>(text).then((r) => r.rows);
    // One after another: a connection runs one query at a time anyway.
    const [organizations, roles, workspaces, projects, packages, users, members, projectMembers, assignments, grants, ledger, settings] = await inSequence([
      () => q<{ name: string; displayName: string | null; managed: boolean }>('select name, display_name as "displayName", managed from organizations order by name'),
      () => q<{ name: string; description: string | null; owner: boolean; admin: boolean; permissions: Record<string, string[]>; managed: boolean }>(
        'select name, description, is_owner as owner, is_admin as admin, permissions, managed from roles order by name',
      ),
      () => q<{ name: string; organization: string | null; description: string | null; archived: boolean; managed: boolean }>('select name, organization, description, archived, managed from workspaces order by name'),
      () => q<{ name: string; organization: string | null; owner: string | null; description: string | null; archived: boolean; managed: boolean }>(
        'select name, organization, owner, description, archived, managed from projects order by name',
      ),
      () => q<{ name: string; createdBy: string | null; description: string | null; managed: boolean }>('select name, created_by as "createdBy", description, managed from packages order by name'),
      () => q<{ email: string; name: string | null; role: string | null; status: UserStatus; organization: string | null; department: string | null; expires: string | null; managed: boolean; invitationKey: string | null; signupCredits: number }>(
        `select u.email, u.name, u.role, u.status, u.organization, u.department, to_char(u.expires, 'YYYY-MM-DD') as expires, u.managed,
                i.invitation_key as "invitationKey", u.signup_credits::float8 as "signupCredits"
           from users u left join invitations i on i.email = u.email order by u.email`,
      ),
      () => q<{ workspace: string; email: string; role: WorkspaceRole }>('select workspace, email, role from workspace_members order by workspace'),
      () => q<{ project: string; email: string }>('select project, email from project_members order by project'),
      () => q<{ package: string; email: string }>('select package, email from package_assignments order by package'),
      () => q<{ id: string; target: CreditTarget; amount: number; kind: CreditKind; reason: string }>('select id, target, amount::float8 as amount, kind, reason from credit_grants order by id'),
      () => q<{ grantId: string; user: string; amount: number }>('select grant_id as "grantId", user_email as "user", amount::float8 as amount from credit_ledger order by grant_id, user_email'),
      () => q<{ key: string; value: unknown }>('select key, value from platform_settings'),
    ] as const);

    const byEmail = new Map<string, LiveUser>();
    const liveUsers = users.map((u) => {
      const user: LiveUser = { ...u, workspaces: {}, projects: [], packages: [] };
      byEmail.set(u.email, user);
      return user;
    });
    for (const m of members) {
      const u = byEmail.get(m.email);
      if (u) u.workspaces[m.workspace] = m.role;
    }
    for (const m of projectMembers) byEmail.get(m.email)?.projects.push(m.project);
    for (const a of assignments) byEmail.get(a.email)?.packages.push(a.package);

    const grantsById = new Map<string, LiveGrant>(grants.map((g) => [g.id, { ...g, entries: [] }]));
    for (const e of ledger) grantsById.get(e.grantId)?.entries.push({ user: e.user, amount: e.amount });

    const setting = (key: string) => {
      const row = settings.find((s) => s.key === key);
      return row === undefined ? null : (row.value as number | null);
    };
    return {
      organizations,
      roles,
      workspaces,
      projects,
      packages,
      users: liveUsers,
      grants: [...grantsById.values()],
      policies: { signupCredits: setting('signupCredits'), lowBalanceThreshold: setting('lowBalanceThreshold'), creditExpiryDays: setting('creditExpiryDays') },
    };
  });
}

/** Awaits thunks one at a time, keeping each result's type. */
async function inSequence<T extends readonly (() => Promise<unknown>)[]>(thunks: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const out: unknown[] = [];
  for (const thunk of thunks) out.push(await thunk());
  return out as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}
