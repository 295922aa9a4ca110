import type { Declaration } from '../model/declaration.ts';
import type { LiveState, LiveUser } from '../model/live.ts';
import type { UserRow, ViewStatus } from '../model/user-view.ts';
import { withoutExcluded } from './index.ts';

/**
 * `roster users`: who has what, read from the live system and joined with
 * the declaration (issue 17). Pure: the command reads both and prints.
 */

export interface UserFilter {
  role?: string;
  status?: ViewStatus;
  organization?: string;
  workspace?: string;
  department?: string;
  /** Keeps people whose balance (awarded plus purchased) is below this. */
  balanceBelow?: number;
}

/**
 * One row per live account (settings.exclude left out: roster never reads
 * them) and per declared person not created yet, sorted by email. Live
 * values win: this is what the platform holds now; a declared person not
 * created yet shows the declared values.
 */
export function userView(d: Declaration, liveState: LiveState, filter: UserFilter = {}): UserRow[] {
  const live = withoutExcluded(liveState, d.settings.exclude);
  const declared = new Map(d.users.map((u) => [u.email, u]));
  const balances = new Map<string, { awarded: number; purchased: number }>();
  for (const g of live.grants) {
    for (const e of g.entries) {
      let b = balances.get(e.user);
      if (!b) balances.set(e.user, (b = { awarded: 0, purchased: 0 }));
      b[g.kind] += e.amount;
    }
  }
  const rows: UserRow[] = [];
  const row = (email: string, fields: Omit<UserRow, 'email' | 'awarded' | 'purchased' | 'declaredAt'>): UserRow => {
    const at = declared.get(email)?.at;
    return { email, ...fields, ...(balances.get(email) ?? { awarded: 0, purchased: 0 }), declaredAt: at ? `${at.file}:${at.line}` : null };
  };
  const liveEmails = new Set<string>();
  for (const l of live.users) {
    liveEmails.add(l.email);
    rows.push(row(l.email, liveFields(l)));
  }
  for (const u of d.users) {
    if (liveEmails.has(u.email)) continue;
    rows.push(
      row(u.email, {
        name: u.name ?? null,
        status: 'not-created',
        role: u.role,
        organization: u.organization,
        department: u.department ?? null,
        workspaces: u.workspaces ?? {},
        managed: false,
      }),
    );
  }
  return rows.filter((r) => matches(r, filter)).sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

const liveFields = (l: LiveUser) => ({
  name: l.name,
  status: l.status,
  role: l.role,
  organization: l.organization,
  department: l.department,
  workspaces: l.workspaces,
  managed: l.managed,
});

function matches(r: UserRow, f: UserFilter): boolean {
  if (f.role !== undefined && r.role !== f.role) return false;
  if (f.status !== undefined && r.status !== f.status) return false;
  if (f.organization !== undefined && r.organization !== f.organization) return false;
  if (f.workspace !== undefined && !Object.hasOwn(r.workspaces, f.workspace)) return false;
  if (f.department !== undefined && r.department !== f.department) return false;
  if (f.balanceBelow !== undefined && !(r.awarded + r.purchased < f.balanceBelow)) return false;
  return true;
}
