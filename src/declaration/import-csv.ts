import { CsvError, parse } from 'csv-parse/sync';
import type { Problem } from '../model/problems.ts';
import { byEmail } from '../util/by-email.ts';
import { didYouMean } from '../util/suggest.ts';
import { normalizeEmail } from '../util/strings.ts';
import type { Declaration } from '../model/declaration.ts';
import type { WorkspaceRole } from '../model/schema.generated.ts';

/**
 * `roster import-csv`: invitations from a spreadsheet (seed 000). Pure: bytes
 * and the declaration in, new user entries or every problem out, each at
 * FILE:row:col (the header is row 1, as a spreadsheet numbers it). One bad
 * row refuses the whole file.
 */

export interface ImportDefaults {
  role?: string;
  organization?: string;
  workspace?: string;
}

/** A user entry as written to the fragment: only what the row (or a default) says. */
export interface ImportedUser {
  email: string;
  name?: string;
  role: string;
  organization?: string;
  department?: string;
  github?: string;
  workspaces?: Record<string, WorkspaceRole>;
}

/** Header spellings, lower-cased with spaces, '-' and '_' removed. */
const COLUMNS: Record<string, keyof ImportedUser> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  name: 'name',
  fullname: 'name',
  displayname: 'name',
  role: 'role',
  organization: 'organization',
  organisation: 'organization',
  org: 'organization',
  department: 'department',
  dept: 'department',
  github: 'github',
  githublogin: 'github',
  workspaces: 'workspaces',
  workspace: 'workspaces',
};
const KNOWN = [...new Set(Object.values(COLUMNS))];
const WORKSPACE_ROLES: readonly string[] = ['admin', 'member', 'viewer'];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** What a spreadsheet runs as a formula (OWASP "CSV injection"): refused rather than stored in the declaration. */
const FORMULA = /^[=+\-@\t\r]/;

export function importCsv(file: string, bytes: Uint8Array, d: Declaration, defaults: ImportDefaults = {}): { users: ImportedUser[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (line: number, col: number) => ({ file, line, col });
  const bad = utf8Error(bytes);
  if (bad)
    return {
      users: [],
      problems: [
        err(
          'csv.encoding',
          `${file} is not valid UTF-8 (byte 0x${bad.byte.toString(16).padStart(2, '0')}); save the spreadsheet as "CSV UTF-8"`,
          at(bad.line, bad.col),
        ),
      ],
    };
  let records: string[][];
  try {
    records = parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = (e as CsvError & { lines?: number }).lines ?? 1;
    return { users: [], problems: [err('csv.syntax', `${file} is not a well-formed CSV file: ${e.message.replace(/^[A-Za-z_]+: /, '')}`, at(line, 1))] };
  }
  const [header, ...rows] = records;
  if (!header) return { users: [], problems: [err('csv.empty', `${file} has no header row (email, name, role, department, workspaces, ...)`, at(1, 1))] };
  const columns = header.map((h, i) => {
    const field = COLUMNS[h.toLowerCase().replace(/[\s_-]/g, '')];
    if (!field)
      problems.push(
        err('csv.column', `unknown column "${h}"${didYouMean(h.toLowerCase(), Object.keys(COLUMNS)) || ` (known: ${KNOWN.join(', ')})`}`, at(1, i + 1)),
      );
    return field;
  });
  if (!columns.includes('email')) problems.push(err('csv.column', `no email column: the header must name one (known columns: ${KNOWN.join(', ')})`, at(1, 1)));
  if (rows.length === 0) problems.push(err('csv.empty', `${file} has a header but no rows`, at(1, 1)));
  if (problems.length) return { users: [], problems };

  const context = checks(d, defaults, problems, file);
  const users: ImportedUser[] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, r) => {
    const row = r + 2;
    const cell = (field: keyof ImportedUser): { value: string; col: number } | undefined => {
      const i = columns.indexOf(field);
      const value = i < 0 ? '' : cells[i]!.trim();
      return value === '' ? undefined : { value, col: i + 1 };
    };
    const before = problems.length;
    cells.forEach((c, i) => {
      if (FORMULA.test(c))
        problems.push(
          err('csv.formula', `cell "${c.slice(0, 40)}" looks like a spreadsheet formula (starts with ${JSON.stringify(c[0])}); remove it`, at(row, i + 1)),
        );
    });
    if (problems.length > before) return;
    const user = context.row(row, cell, (field) => columns.indexOf(field) + 1, seen);
    if (user) users.push(user);
  });
  return problems.length ? { users: [], problems } : { users, problems };
}

type Cell = (field: keyof ImportedUser) => { value: string; col: number } | undefined;

/** The per-row checks against the declaration: roles, organizations, workspaces, and people already declared. */
function checks(d: Declaration, defaults: ImportDefaults, problems: Problem[], file: string) {
  const roles = new Set(d.roles.map((r) => r.name));
  const orgs = new Set(d.organizations.map((o) => o.name));
  const workspaces = new Map(d.workspaces.map((w) => [w.name, w]));
  const declared = byEmail(d.users);
  const exclude = new Set(d.settings.exclude);
  const fallbackOrg = defaults.organization ?? d.settings.organization ?? (d.organizations.length === 1 ? d.organizations[0]!.name : null);
  const fail = (code: string, message: string, line: number, col: number) => problems.push(err(code, message, { file, line, col }));

  const row = (line: number, cell: Cell, colOf: (field: keyof ImportedUser) => number, seen: Map<string, number>): ImportedUser | undefined => {
    const before = problems.length;
    const e = cell('email');
    if (!e) {
      fail('csv.email', 'email is missing', line, colOf('email'));
      return undefined;
    }
    const email = normalizeEmail(e.value);
    if (!EMAIL.test(email) || email.length > 254) fail('csv.email', `"${e.value}" is not a valid email address`, line, e.col);
    const first = seen.get(email);
    if (first !== undefined) fail('csv.duplicate', `${email} is also on row ${first}: one row per person`, line, e.col);
    else seen.set(email, line);
    const existing = declared.get(email);
    if (existing) fail('csv.duplicate', `${email} is already declared at ${existing.at.file}:${existing.at.line}`, line, e.col);
    if (exclude.has(email)) fail('csv.excluded', `${email} is in settings.exclude: roster never manages it`, line, e.col);

    const roleCell = cell('role');
    const role = roleCell?.value ?? defaults.role;
    if (role === undefined) fail('csv.role', 'no role: add a role column or pass --role', line, colOf('role') || 1);
    else if (!roles.has(role))
      fail('csv.role', `unknown role "${role}"${didYouMean(role, roles) || ` (declared: ${[...roles].join(', ') || 'none'})`}`, line, roleCell?.col ?? 1);

    const orgCell = cell('organization');
    const organization = orgCell?.value ?? defaults.organization;
    if (organization !== undefined && !orgs.has(organization))
      fail('csv.organization', `unknown organization "${organization}"${didYouMean(organization, orgs)}`, line, orgCell?.col ?? 1);
    const userOrg = organization ?? fallbackOrg;

    const ws = workspacesOf(cell('workspaces'), defaults.workspace, (message, col) => fail('csv.workspace', message, line, col));
    for (const [name, col] of ws.cols) {
      const w = workspaces.get(name);
      if (!w) fail('csv.workspace', `unknown workspace "${name}"${didYouMean(name, workspaces.keys())}`, line, col);
      else if ((w.organization ?? fallbackOrg) !== userOrg)
        fail('csv.workspace', `workspace ${name} belongs to organization ${w.organization ?? fallbackOrg}, not ${userOrg}`, line, col);
    }
    const name = cell('name');
    const department = cell('department');
    const github = cell('github');
    for (const [c, max] of [
      [name, 200],
      [department, 200],
    ] as const)
      if (c && c.value.length > max) fail('csv.length', `at most ${max} characters`, line, c.col);
    if (github && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(github.value))
      fail('csv.github', `"${github.value}" is not a valid GitHub login`, line, github.col);
    if (problems.length > before || role === undefined) return undefined;
    return {
      email,
      ...(name && { name: name.value }),
      role,
      ...(organization !== undefined && { organization }),
      ...(department && { department: department.value }),
      ...(github && { github: github.value }),
      ...(ws.cols.size > 0 && { workspaces: ws.roles }),
    };
  };
  return { row };
}

/** `analytics:admin; research` (role member when omitted), separated by ';', ',' or spaces; plus --workspace. */
function workspacesOf(c: { value: string; col: number } | undefined, fallback: string | undefined, fail: (message: string, col: number) => void) {
  const roles: Record<string, WorkspaceRole> = {};
  const cols = new Map<string, number>();
  const items = [...(c ? c.value.split(/[;,\s]+/).filter(Boolean) : []), ...(fallback && !c ? [fallback] : [])];
  for (const item of items) {
    const [name, role = 'member'] = item.split(':').map((s) => s.trim());
    if (!WORKSPACE_ROLES.includes(role)) fail(`workspace role "${role}" must be admin, member or viewer`, c?.col ?? 1);
    else {
      roles[name!] = role as WorkspaceRole;
      cols.set(name!, c?.col ?? 1);
    }
  }
  return { roles: Object.fromEntries(Object.entries(roles).sort(([a], [b]) => (a < b ? -1 : 1))), cols };
}

const err = (code: string, message: string, at: { file: string; line: number; col: number }): Problem => ({ severity: 'error', code, message, at });

/** The first invalid UTF-8 sequence: its byte, line and column (in bytes); undefined for valid text. */
export function utf8Error(bytes: Uint8Array): { byte: number; line: number; col: number } | undefined {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      line++;
      lineStart = i + 1;
    }
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = n > 0 && i + n <= bytes.length;
    for (let k = 1; ok && k < n; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF.
    if (ok && n === 3) ok = !(b === 0xe0 && bytes[i + 1]! < 0xa0) && !(b === 0xed && bytes[i + 1]! >= 0xa0);
    if (ok && n === 4) ok = !(b === 0xf0 && bytes[i + 1]! < 0x90) && !(b === 0xf4 && bytes[i + 1]! >= 0x90);
    if (!ok) return { byte: b, line, col: i - lineStart + 1 };
    i += n;
  }
  return undefined;
}
