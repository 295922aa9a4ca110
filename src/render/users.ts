import { stringify } from 'csv-stringify/sync';
import type { UserRow } from '../model/user-view.ts';
import { showInvisible as t } from '../util/strings.ts';
import { neutralise } from './audit.ts';

const workspaceList = (w: Record<string, string>) =>
  Object.keys(w)
    .sort()
    .map((ws) => `${ws}:${w[ws]}`)
    .join(' ');

const HEADERS = ['EMAIL', 'STATUS', 'ROLE', 'ORGANIZATION', 'DEPARTMENT', 'WORKSPACES', 'AWARDED', 'PURCHASED', 'MANAGED', 'DECLARED'] as const;

/**
 * A table a person reads: one line per person, columns padded. Every value
 * came from the live system or a declaration someone may have edited by hand,
 * so each goes through showInvisible.
 */
export function renderUsersText(rows: UserRow[]): string {
  const cells = rows.map((r) =>
    [
      r.email,
      r.status,
      r.role ?? '-',
      r.organization ?? '-',
      r.department ?? '-',
      workspaceList(r.workspaces) || '-',
      String(r.awarded),
      String(r.purchased),
      r.managed ? 'yes' : 'no',
      r.declaredAt ?? '-',
    ].map(t),
  );
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ');
  return [line(HEADERS), ...cells.map(line), `${rows.length} user(s)`].join('\n') + '\n';
}

export function renderUsersJson(rows: UserRow[]): string {
  return JSON.stringify({ formatVersion: 1, count: rows.length, users: rows }, null, 2) + '\n';
}

const COLUMNS = [
  'email',
  'name',
  'status',
  'role',
  'organization',
  'department',
  'workspaces',
  'awarded',
  'purchased',
  'balance',
  'managed',
  'declared_at',
] as const;

/** For a spreadsheet: text that would open as a formula (= + - @ first) gets a leading apostrophe; numbers stay numbers. */
export function renderUsersCsv(rows: UserRow[]): string {
  const records = rows.map((r) => ({
    email: r.email,
    name: r.name ?? '',
    status: r.status,
    role: r.role ?? '',
    organization: r.organization ?? '',
    department: r.department ?? '',
    workspaces: workspaceList(r.workspaces),
    awarded: r.awarded,
    purchased: r.purchased,
    balance: r.awarded + r.purchased,
    managed: r.managed ? 'yes' : 'no',
    declared_at: r.declaredAt ?? '',
  }));
  return stringify(records, { header: true, columns: [...COLUMNS], cast: { string: neutralise } });
}
