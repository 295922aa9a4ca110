import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_ORG, type Model, type ModelCredit, type ModelUser } from './model.ts';

export type Layout = 'split' | 'giant';

/** Users per file in the split layout: a department of a large company, chunked the way people split long files. */
const USERS_PER_FILE = 1000;
const CREDITS_PER_FILE = 2000;

const q = (s: string) => (/^[\w.@ -]+$/.test(s) && !/^[\d-]/.test(s) && !/^(true|false|null|yes|no)$/i.test(s) ? s : JSON.stringify(s));

function userYaml(u: ModelUser): string {
  const lines = [`  - email: ${u.email}`, `    name: ${q(u.name)}`, `    role: ${u.role}`];
  if (u.organization !== DEFAULT_ORG) lines.push(`    organization: ${u.organization}`);
  lines.push(`    department: ${u.department}`);
  if (u.status !== 'active') lines.push(`    status: ${u.status}`);
  lines.push(
    `    workspaces: { ${Object.entries(u.workspaces)
      .map(([w, r]) => `${w}: ${r}`)
      .join(', ')} }`,
  );
  if (u.projects) lines.push(`    projects: [${u.projects.join(', ')}]`);
  if (u.packages) lines.push(`    packages: [${u.packages.join(', ')}]`);
  if (u.expires) lines.push(`    expires: ${u.expires}   # contract end`);
  return lines.join('\n');
}

function creditYaml(c: ModelCredit): string {
  const to =
    typeof c.to === 'string'
      ? c.to
      : `{ ${Object.entries(c.to)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')} }`;
  const lines = [`  - id: ${c.id}`, `    to: ${to}`, `    amount: ${c.amount}`];
  if (c.kind) lines.push(`    kind: ${c.kind}`);
  lines.push(`    reason: ${q(c.reason)}`);
  return lines.join('\n');
}

const MODELINE = (depth: number) => `# yaml-language-server: $schema=${'../'.repeat(depth + 1)}schema/roster.schema.json`;

function section(model: Model, key: 'settings' | 'organizations' | 'roles' | 'workspaces' | 'projects' | 'packages'): string {
  switch (key) {
    case 'settings':
      return [
        'settings:',
        `  organization: ${DEFAULT_ORG}        # people, workspaces and projects that name none`,
        '  unmanaged: report',
        '  removal: deactivate',
        '  guards:',
        '    maxRemovalPercent: 25',
        '    minAdmins: 2',
        '    privilegedCreditAmount: 100000',
      ].join('\n');
    case 'organizations':
      return ['organizations:', ...model.organizations.map((o) => `  - name: ${o}\n    displayName: ${o[0]!.toUpperCase()}${o.slice(1)} Corp`)].join('\n');
    case 'roles':
      return [
        'roles:',
        ...model.roles.map((r) =>
          [
            `  - name: ${r.name}`,
            ...(r.description ? [`    description: ${q(r.description)}`] : []),
            ...(r.owner ? ['    owner: true'] : []),
            ...(r.admin ? ['    admin: true'] : []),
            ...(r.permissions
              ? [
                  `    permissions: { ${Object.entries(r.permissions)
                    .map(([k, v]) => `${k}: [${v.join(', ')}]`)
                    .join(', ')} }`,
                ]
              : []),
          ].join('\n'),
        ),
      ].join('\n');
    case 'workspaces':
      return [
        'workspaces:',
        ...model.workspaces.map((w) =>
          [
            `  - name: ${w.name}`,
            ...(w.organization !== DEFAULT_ORG ? [`    organization: ${w.organization}`] : []),
            ...(w.description ? [`    description: ${q(w.description)}`] : []),
          ].join('\n'),
        ),
      ].join('\n');
    case 'projects':
      return [
        'projects:',
        ...model.projects.map((p) =>
          [
            `  - name: ${p.name}`,
            ...(p.organization !== DEFAULT_ORG ? [`    organization: ${p.organization}`] : []),
            `    owner: ${p.owner}`,
            `    description: ${q(p.description)}`,
          ].join('\n'),
        ),
      ].join('\n');
    case 'packages':
      return ['packages:', ...model.packages.map((p) => `  - name: ${p.name}\n    createdBy: ${p.createdBy}`)].join('\n');
  }
}

const SECTIONS = ['settings', 'organizations', 'roles', 'workspaces', 'projects', 'packages'] as const;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * The declaration files of the model. `split`: what a real repository holds,
 * one file per kind and people by organization and department, about a
 * thousand per file. `giant`: everything in one file, but for the
 * credit ledger in a second one (a fragment may hold at most 25 MB).
 * Returns the files written, relative to `root`.
 */
export function writeDeclaration(model: Model, root: string, layout: Layout): string[] {
  const files = new Map<string, string>();
  if (layout === 'giant') {
    // A fragment may hold at most 25 MB: the ledger of 100,000 grants goes into a second file.
    const body = [MODELINE(0), ...SECTIONS.map((s) => section(model, s)), 'users:\n' + model.users.map(userYaml).join('\n\n')];
    files.set('users/roster.yaml', body.join('\n\n') + '\n');
    files.set('users/credits.yaml', `${MODELINE(0)}\ncredits:\n${model.credits.map(creditYaml).join('\n')}\n`);
  } else {
    for (const s of SECTIONS) files.set(`users/${s}.yaml`, `${MODELINE(0)}\n${section(model, s)}\n`);
    const groups = new Map<string, ModelUser[]>();
    for (const u of model.users) {
      const key = `${u.organization}/${u.department.toLowerCase()}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(u);
    }
    for (const [key, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      chunks(members, USERS_PER_FILE).forEach((chunk, k) => {
        const name = `users/people/${key}${k ? `-${k + 1}` : ''}.yaml`;
        files.set(name, `${MODELINE(2)}\n# ${chunk[0]!.department}, ${chunk[0]!.organization}.\nusers:\n${chunk.map(userYaml).join('\n\n')}\n`);
      });
    }
    const individual = model.credits.filter((c) => typeof c.to === 'string');
    chunks(individual, CREDITS_PER_FILE).forEach((chunk, k) => {
      files.set(
        `users/credits/welcome-${String(k + 1).padStart(3, '0')}.yaml`,
        `${MODELINE(1)}\n# Append only: each id is applied exactly once.\ncredits:\n${chunk.map(creditYaml).join('\n')}\n`,
      );
    });
    files.set(
      'users/credits/campaigns.yaml',
      `${MODELINE(1)}\ncredits:\n${model.credits
        .filter((c) => typeof c.to !== 'string')
        .map(creditYaml)
        .join('\n')}\n`,
    );
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return [...files.keys()];
}
