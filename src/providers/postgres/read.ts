import type { CreditKind, CreditTarget, UserStatus, WorkspaceRole } from '../../declaration/types.ts';
import type { LiveGrant, LiveState, LiveUser } from '../types.ts';
import type { SqlClient } from './sql.ts';

/** Rows per query: large enough to amortise a query, small enough that PGlite's memory does not grow with the store. */
const PAGE = 20_000;

/**
 * A big table, read in pages by its key (keyset pagination), each page as
 * one JSON text of row arrays aggregated in SQL: decoding rows column by
 * column is what costs on 100,000 rows, and one JSON.parse is cheap. Paging
 * keeps PGlite's WebAssembly memory, which never shrinks, at the size of a
 * page rather than of the table.
 */
interface BigTable {
  /** Row values; the key columns first. */
  columns: string;
  /**
   * `text`: every column cast to text, rows aggregated as text arrays (a
   * quarter faster to build than JSON values); `json` keeps JSON types.
   */
  as: 'text' | 'json';
  /** The (unique) key, in the order rows come back. */
  keys: string[];
  /** The table, as `t`; joins may add columns. */
  from: string;
  join?: string;
}

const TABLES = {
  users: {
    columns: `t.email, t.name, t.role, t.status, t.organization, t.department, to_char(t.expires, 'YYYY-MM-DD'), t.managed::text, i.invitation_key, t.signup_credits::text`,
    as: 'text',
    keys: ['email'],
    from: 'users',
    join: 'left join invitations i on i.email = t.email',
  },
  members: { columns: 't.workspace, t.email, t.role', as: 'text', keys: ['workspace', 'email'], from: 'workspace_members' },
  projectMembers: { columns: 't.project, t.email', as: 'text', keys: ['project', 'email'], from: 'project_members' },
  assignments: { columns: 't.package, t.email', as: 'text', keys: ['package', 'email'], from: 'package_assignments' },
  grants: { columns: 't.id, t.target, t.amount::float8, t.kind, t.reason', as: 'json', keys: ['id'], from: 'credit_grants' },
  ledger: { columns: 't.grant_id, t.user_email, t.amount::text', as: 'text', keys: ['grant_id', 'user_email'], from: 'credit_ledger' },
} satisfies Record<string, BigTable>;

async function readPaged<T extends unknown[]>(sql: SqlClient, table: BigTable): Promise<T[]> {
  const keys = table.keys.map((k) => `t.${k}`).join(', ');
  const aggregate = table.as === 'text' ? `array_to_json(array_agg(array[${table.columns}] order by ${keys}))` : `json_agg(json_build_array(${table.columns}) order by ${keys})`;
  const rows: T[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const where = after ? `where (${table.keys.join(', ')}) > (${after.map((_, i) => `$${i + 1}`).join(', ')})` : '';
    const text = `select coalesce(${aggregate}, '[]')::text as rows
                    from (select * from ${table.from} ${where} order by ${table.keys.join(', ')} limit ${PAGE}) t ${table.join ?? ''}`;
    const page = JSON.parse((await sql.query<{ rows: string }>(text, after)).rows[0]!.rows) as T[];
    for (const row of page) rows.push(row);
    if (page.length < PAGE) return rows;
    after = page[page.length - 1]!.slice(0, table.keys.length);
  }
}

type UserRow = [string, string | null, string | null, UserStatus, string | null, string | null, string | null, 'true' | 'false', string | null, string];

/**
 * The whole live state in a handful of set queries; dates and numbers cast in
 * SQL so both engines return the same shapes. Objects are built with their
 * keys in sorted order, so the plan's fingerprint of them is written natively.
 */
export async function readLiveState(sql: SqlClient): Promise<LiveState> {
  return sql.transaction(async (tx) => {
    // One snapshot for all queries.
    await tx.exec('set transaction isolation level repeatable read, read only');
    // Each page is sorted for its aggregate: in memory, not spilled to (PGlite's emulated) disk.
    await tx.exec(`set local work_mem = '32MB'`);
    const q = <T>(text: string) => tx.query<T>(text).then((r) => r.rows);
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
    const users = await readPaged<UserRow>(tx, TABLES.users);
    const members = await readPaged<[string, string, WorkspaceRole]>(tx, TABLES.members);
    const projectMembers = await readPaged<[string, string]>(tx, TABLES.projectMembers);
    const assignments = await readPaged<[string, string]>(tx, TABLES.assignments);
    const grants = await readPaged<[string, CreditTarget, number, CreditKind, string]>(tx, TABLES.grants);
    const ledger = await readPaged<[string, string, string]>(tx, TABLES.ledger);
    const settings = await q<{ key: string; value: unknown }>('select key, value from platform_settings');

    const byEmail = new Map<string, LiveUser>();
    const liveUsers = users.map(([email, name, role, status, organization, department, expires, managed, invitationKey, signupCredits]) => {
      const user: LiveUser = {
        department,
        email,
        expires,
        invitationKey,
        managed: managed === 'true',
        name,
        organization,
        packages: [],
        projects: [],
        role,
        signupCredits: Number(signupCredits),
        status,
        workspaces: {},
      };
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
    for (const [grantId, user, amount] of ledger) grantsById.get(grantId)?.entries.push({ amount: Number(amount), user });

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
