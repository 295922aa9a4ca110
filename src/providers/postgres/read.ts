import type { CreditKind, UserStatus } from '../../model/declaration.ts';
import type { CreditTarget, WorkspaceRole } from '../../model/schema.generated.ts';
import { ProviderError } from '../../errors.ts';
import type { LiveGrant, LiveState, LiveUser } from '../../model/live.ts';
import { standaloneLowerAscii } from '../../util/strings.ts';
import { rememberByEmail } from '../../util/by-email.ts';
import { CopyText, decodeCopy } from './copy-text.ts';
import type { SqlClient } from './sql.ts';

/**
 * The big tables, each read with one COPY in its key's order: COPY's text is
 * what both engines produce fastest (PGlite builds no JSON and no rows in
 * WebAssembly), and a few string splits are what reading it costs. Ordered
 * by walking the primary key, not by sorting (see readLiveState), so the
 * state comes out the same on every read, whatever the physical row order.
 */
const TABLES = {
  // Columns in the order of the object keys they become (sorted, see readLiveState).
  users: `select t.department, t.email, to_char(t.expires, 'YYYY-MM-DD'), i.invitation_key, t.managed, t.name, t.organization, t.role, t.signup_credits, t.status
            from users t left join invitations i on i.email = t.email order by t.email`,
  members: 'select workspace, email, role from workspace_members order by workspace, email',
  projectMembers: 'select project, email from project_members order by project, email',
  assignments: 'select package, email from package_assignments order by package, email',
  grants: 'select amount, id, kind, reason, target from credit_grants order by id',
  ledger: 'select grant_id, amount, user_email from credit_ledger order by grant_id, user_email',
};

/** jsonb prints a string target as a JSON string: most are addresses that need no unescaping. */
const creditTarget = (json: string): CreditTarget =>
  json.charCodeAt(0) === 0x22 && !json.includes('\\') ? json.slice(1, -1) : (JSON.parse(json) as CreditTarget);

/** Addresses are stored in lower case (a check constraint): as strings of their own, the plan's lookups by them are cheap. */
const ownEmail = (email: string) => standaloneLowerAscii(email) ?? email;
/** Grant ids, looked up as much: roster's are lower case; any other is kept as it is. */
const ownId = (id: string) => {
  const own = standaloneLowerAscii(id);
  return own === id ? own : id;
};

/** The live state as the store hands it over: small tables as rows, big ones as COPY text. */
export interface LiveTables {
  organizations: LiveState['organizations'];
  roles: LiveState['roles'];
  workspaces: LiveState['workspaces'];
  projects: LiveState['projects'];
  packages: LiveState['packages'];
  settings: { key: string; value: unknown }[];
  copies: Record<keyof typeof TABLES, Uint8Array>;
}

/** Every table in one snapshot; what turns them into the live state is buildLiveState, apart, so a worker thread can run this. */
export async function fetchLiveTables(sql: SqlClient): Promise<LiveTables> {
  return sql.transaction(async (tx) => {
    // One snapshot for all queries.
    await tx.exec('set transaction isolation level repeatable read, read only');
    // Each big table comes out in its primary key's order: walking the index, rather than sorting in (PGlite's) WebAssembly.
    await tx.exec('set local enable_sort = off');
    const q = <T>(text: string) => tx.query<T>(text).then((r) => r.rows);
    // One after another: a connection runs one query at a time anyway.
    const organizations = await q<LiveState['organizations'][number]>('select display_name as "displayName", managed, name from organizations order by name');
    const roles = await q<LiveState['roles'][number]>(
      'select is_admin as admin, description, managed, name, is_owner as owner, permissions from roles order by name',
    );
    const workspaces = await q<LiveState['workspaces'][number]>('select archived, description, managed, name, organization from workspaces order by name');
    const projects = await q<LiveState['projects'][number]>('select archived, description, managed, name, organization, owner from projects order by name');
    const packages = await q<LiveState['packages'][number]>('select created_by as "createdBy", description, managed, name from packages order by name');
    const copies = {} as LiveTables['copies'];
    for (const [name, query] of Object.entries(TABLES) as [keyof typeof TABLES, string][]) copies[name] = await tx.copyOut(query);
    const settings = await q<{ key: string; value: unknown }>('select key, value from platform_settings');
    return { organizations, roles, workspaces, projects, packages, settings, copies };
  });
}

/** The whole live state in a handful of set queries; dates and numbers cast in SQL so both engines return the same shapes. */
export async function readLiveState(sql: SqlClient): Promise<LiveState> {
  return buildLiveState(await fetchLiveTables(sql));
}

/** Objects are built with their keys in sorted order, so the plan's fingerprint of them is written natively. */
export function buildLiveState({ organizations, roles, workspaces, projects, packages, settings, copies }: LiveTables): LiveState {
  const users = new CopyText(decodeCopy(copies.users));
  const members = new CopyText(decodeCopy(copies.members));
  const projectMembers = new CopyText(decodeCopy(copies.projectMembers));
  const assignments = new CopyText(decodeCopy(copies.assignments));
  const grants = new CopyText(decodeCopy(copies.grants));
  const ledger = new CopyText(decodeCopy(copies.ledger));

  const byEmail = new Map<string, LiveUser>();
  const liveUsers: LiveUser[] = [];
  while (users.next()) {
    const user: LiveUser = {
      department: users.field(),
      email: ownEmail(users.text()),
      expires: users.field(),
      invitationKey: users.field(),
      managed: users.text() === 't',
      name: users.field(),
      organization: users.field(),
      packages: [],
      projects: [],
      role: users.field(),
      signupCredits: Number(users.text()),
      status: users.text() as UserStatus,
      workspaces: {},
    };
    byEmail.set(user.email, user);
    liveUsers.push(user);
  }
  while (members.next()) {
    const workspace = members.runText();
    const u = byEmail.get(members.text());
    const role = members.text() as WorkspaceRole;
    if (u) u.workspaces[workspace] = role;
  }
  while (projectMembers.next()) {
    const project = projectMembers.runText();
    byEmail.get(projectMembers.text())?.projects.push(project);
  }
  while (assignments.next()) {
    const pkg = assignments.runText();
    byEmail.get(assignments.text())?.packages.push(pkg);
  }

  const liveGrants: LiveGrant[] = [];
  while (grants.next()) {
    liveGrants.push({
      amount: Number(grants.text()),
      entries: [],
      id: ownId(grants.text()),
      kind: grants.text() as CreditKind,
      reason: grants.text(),
      target: creditTarget(grants.text()),
    });
  }
  // Grants and ledger rows come in the grant id's order, and every row has its grant (a foreign key): one walk, no lookups.
  let g = 0;
  while (ledger.next()) {
    const id = ledger.runText();
    while (g < liveGrants.length && liveGrants[g]!.id !== id) g++;
    if (g === liveGrants.length) throw new ProviderError(`the credit ledger names a grant the store does not hold, or out of order: ${id}`);
    liveGrants[g]!.entries.push({ amount: Number(ledger.text()), user: ledger.text() });
  }

  rememberByEmail(liveUsers, byEmail);
  const setting = (key: string) => {
    const row = settings.find((s) => s.key === key);
    return row === undefined ? null : (row.value as number | null);
  };
  const guards: LiveState['guards'] = {};
  for (const key of ['maxRemovalPercent', 'minAdmins', 'privilegedCreditAmount'] as const) {
    const value = setting(`guards.${key}`);
    if (value !== null) guards[key] = value;
  }
  return {
    grants: liveGrants,
    guards,
    organizations,
    packages,
    policies: { creditExpiryDays: setting('creditExpiryDays'), lowBalanceThreshold: setting('lowBalanceThreshold'), signupCredits: setting('signupCredits') },
    projects,
    roles,
    users: liveUsers,
    workspaces,
  };
}
