import type { ExportedDeclaration, ExportedUser } from './model.ts';
import { commentText, listSection, mapLines, usersSection } from './emit.ts';

/**
 * Where each kind goes, as a repository kept by hand lays it out: one kind
 * per file, people by organization and department. Paths are relative to
 * the declaration folder, with forward slashes.
 */
export const KIND_FILES = {
  organizations: 'organizations.yaml',
  roles: 'roles.yaml',
  workspaces: 'workspaces.yaml',
  projects: 'projects.yaml',
  packages: 'packages.yaml',
  credits: 'credits.yaml',
} as const;

/** A folder or file name from a free-text name: lower case, ASCII letters and digits joined by dashes. */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return s || 'other';
}

/** The fragment a person is filed in. */
export function personFile(organization: string | null, department: string | null): string {
  return `people/${organization === null ? 'no-organization' : slug(organization)}/${department === null ? 'no-department' : `${slug(department)}`}.yaml`;
}

/** The modeline, its path to schema/ assuming the declaration folder sits next to it (as users/ does). */
export function header(path: string, about: string): string[] {
  const depth = path.split('/').length;
  return [`# yaml-language-server: $schema=${'../'.repeat(depth)}schema/roster.schema.json`, `# ${commentText(about)}`];
}

/** Every fragment, path -> text, in path order: exporting the same live state twice gives the same bytes. */
export function layout(x: ExportedDeclaration, provider: string): Map<string, string> {
  const files = new Map<string, string>();
  const write = (path: string, about: string, body: (out: string[]) => void) => {
    const out = header(path, about);
    body(out);
    files.set(path, out.join('\n') + '\n');
  };
  write('settings.yaml', `Run-wide settings, exported from the ${provider} provider by roster export.`, (out) => {
    out.push('settings:');
    mapLines(x.settings, '  ', out);
  });
  const kinds: [keyof typeof KIND_FILES, string, boolean][] = [
    ['organizations', 'Organizations (tenants).', false],
    ['roles', 'Roles people hold, with their permissions.', false],
    ['workspaces', 'Workspaces; those that name no organization belong to the default one (settings.yaml).', false],
    ['projects', 'Projects and their owners.', false],
    ['packages', 'Packages and who created them.', false],
    ['credits', 'The credit ledger, every applied grant: append only; never edit an applied grant, add a correcting one.', true],
  ];
  for (const [kind, about, spaced] of kinds) {
    if (x[kind].length) write(KIND_FILES[kind], about, (out) => listSection(kind, x[kind], spaced, out));
  }
  const byFile = new Map<string, { organization: string | null; department: string | null; users: ExportedUser[] }>();
  // A handful of organizations and departments among 100,000 people: each slugged once.
  const paths = new Map<string | null, Map<string | null, string>>();
  const fileOf = (organization: string | null, department: string | null) => {
    let inOrg = paths.get(organization);
    if (!inOrg) paths.set(organization, (inOrg = new Map()));
    let path = inOrg.get(department);
    if (path === undefined) inOrg.set(department, (path = personFile(organization, department)));
    return path;
  };
  for (const u of x.users) {
    const path = fileOf(u.organization, u.department);
    let f = byFile.get(path);
    if (!f) byFile.set(path, (f = { organization: u.organization, department: u.department, users: [] }));
    f.users.push(u.user);
  }
  for (const [path, f] of byFile) {
    write(path, `People of ${f.organization ?? 'no organization'}, ${f.department === null ? 'no department' : `department ${f.department}`}.`, (out) =>
      usersSection(f.users, out),
    );
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}
