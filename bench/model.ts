/**
 * The benchmark's company: a deterministic model of N people with their
 * roles, organizations, workspaces, projects, packages and credit grants.
 * The same model is written out as YAML fragments (declaration.ts) and
 * seeded into the store with some drift (seed.ts), so the plan between
 * them is known in advance.
 */

export interface ModelRole {
  name: string;
  description?: string;
  owner?: boolean;
  admin?: boolean;
  permissions?: Record<string, string[]>;
}

export interface ModelWorkspace {
  name: string;
  organization: string;
  description?: string;
}

export interface ModelProject {
  name: string;
  organization: string;
  owner: string;
  description: string;
}

export interface ModelPackage {
  name: string;
  createdBy: string;
}

export type ModelStatus = 'active' | 'inactive' | 'suspended';

export interface ModelUser {
  index: number;
  email: string;
  name: string;
  role: string;
  organization: string;
  department: string;
  status: ModelStatus;
  workspaces: Record<string, 'admin' | 'member' | 'viewer'>;
  projects?: string[];
  packages?: string[];
  expires?: string;
}

export type ModelTarget = string | { role: string } | { workspace: string } | { organization: string };

export interface ModelCredit {
  id: string;
  to: ModelTarget;
  amount: number;
  kind?: 'purchased';
  reason: string;
}

export interface Model {
  size: number;
  /** The instant plans are made for: contractors expiring before it are deactivated. */
  organizations: string[];
  roles: ModelRole[];
  workspaces: ModelWorkspace[];
  projects: ModelProject[];
  packages: ModelPackage[];
  users: ModelUser[];
  credits: ModelCredit[];
}

export const NOW = new Date('2026-11-23T12:00:00Z');
export const TODAY = NOW.toISOString().slice(0, 10);

/** Whether a generated person has access today (active, and not past `expires`). */
export const hasAccess = (u: ModelUser) => u.status === 'active' && !(u.expires && u.expires < TODAY);

const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'Dmitri',
  'Emma',
  'Farid',
  'Grace',
  'Hiro',
  'Inès',
  'Jonas',
  'Kwame',
  'Lena',
  'Mateo',
  'Nora',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tomás',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zoë',
];
const LAST = [
  'Garcia',
  'Okafor',
  'Liddell',
  'Patel',
  'Schultz',
  "O'Brien",
  'Nakamura',
  'Dubois',
  'Kowalski',
  'Haddad',
  'Silva',
  'Andersen',
  'Müller',
  'Rossi',
  'Cohen',
  'Nguyen',
  'Ivanova',
  'Mensah',
  'Larsen',
  'Fischer',
];
const DEPARTMENTS = ['Engineering', 'Data', 'Design', 'Finance', 'Legal', 'Marketing', 'Operations', 'Product', 'QA', 'Research', 'Sales', 'Support'];
const ORGS = ['acme', 'globex'];
const DEFAULT_ORG = 'acme';
const WORKSPACES = 100;
const PACKAGES = 30;
const PROJECTS = 40;

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
const pad = (n: number, width = 6) => String(n).padStart(width, '0');

/** Deterministic: the same size always gives the same company. */
export function buildModel(size: number): Model {
  const roles: ModelRole[] = [
    { name: 'owner', owner: true, admin: true, description: 'Account owners' },
    { name: 'admin', admin: true, description: 'Platform administrators' },
    { name: 'member' },
    { name: 'partner', permissions: { modules: ['publish'] } },
    { name: 'auditor', description: 'Read-only analytics', permissions: { analytics: ['export', 'view'], datasources: ['view'] } },
    { name: 'contractor', description: 'External contractors with an end date' },
  ];
  const workspaces: ModelWorkspace[] = Array.from({ length: WORKSPACES }, (_, i) => {
    const organization = i % 5 === 4 ? 'globex' : 'acme';
    return { name: `${organization}-team-${pad(i, 3)}`, organization, ...(i % 3 === 0 && { description: `Team ${i} workspace` }) };
  });
  const wsOf = new Map(ORGS.map((o) => [o, workspaces.filter((w) => w.organization === o).map((w) => w.name)]));

  const users: ModelUser[] = [];
  for (let i = 0; i < size; i++) {
    const organization = i % 5 === 4 ? 'globex' : 'acme';
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    const role = i === 0 ? 'owner' : i % 50 === 1 ? 'admin' : i % 10 === 3 ? 'partner' : i % 25 === 7 ? 'auditor' : i % 40 === 11 ? 'contractor' : 'member';
    const pool = wsOf.get(organization)!;
    const workspaces: ModelUser['workspaces'] = {};
    for (let k = 0; k <= i % 3; k++) workspaces[pool[(i * 31 + k * 17) % pool.length]!] = k === 0 && i % 60 === 2 ? 'admin' : k === 2 ? 'viewer' : 'member';
    const user: ModelUser = {
      index: i,
      email: `${ascii(first)}.${ascii(last)}.${pad(i)}@${organization}.test`,
      name: `${first} ${last}`,
      role,
      organization,
      department: DEPARTMENTS[(i * 13) % DEPARTMENTS.length]!,
      status: i > 0 && i % 97 === 5 ? 'inactive' : i > 0 && i % 211 === 9 ? 'suspended' : 'active',
      workspaces,
    };
    if (role === 'contractor') user.expires = i % 1000 === 11 ? '2026-06-30' : `2027-${pad((i % 12) + 1, 2)}-28`;
    if (i % 4 === 0) user.projects = [];
    if (i % 3 === 0) user.packages = [`pkg-${pad(i % PACKAGES, 2)}`, ...(i % 2 ? [`pkg-${pad((i + 7) % PACKAGES, 2)}`] : [])];
    users.push(user);
  }

  // Project owners: active, unexpired people of the project's organization.
  const eligible = new Map(ORGS.map((o) => [o, users.filter((u) => u.organization === o && u.status === 'active' && !u.expires)]));
  const projects: ModelProject[] = [];
  for (let k = 0; k < PROJECTS; k++) {
    const organization = k % 4 === 3 ? 'globex' : 'acme';
    const candidates = eligible.get(organization)!;
    if (candidates.length === 0) continue;
    projects.push({ name: `project-${pad(k, 3)}`, organization, owner: candidates[(k * 7) % candidates.length]!.email, description: `Project ${k}` });
  }
  const projectsOf = new Map(ORGS.map((o) => [o, projects.filter((p) => p.organization === o).map((p) => p.name)]));
  for (const u of users) {
    if (!u.projects) continue;
    const pool = projectsOf.get(u.organization)!;
    if (pool.length) u.projects.push(pool[u.index % pool.length]!);
  }
  const packages: ModelPackage[] = Array.from({ length: PACKAGES }, (_, k) => ({ name: `pkg-${pad(k, 2)}`, createdBy: users[(k * 37) % size]!.email }));

  // One individual grant per person who has access, a few to people who lost it (warnings), and some selector grants.
  const credits: ModelCredit[] = [];
  for (const u of users) {
    if (!hasAccess(u) && u.index % 10 !== 5) continue;
    credits.push({
      id: `welcome-2026-${pad(u.index)}`,
      to: u.email,
      amount: 100 + (u.index % 5) * 50,
      ...(u.index % 9 === 0 && { kind: 'purchased' as const }),
      reason: 'Launch credits',
    });
  }
  credits.push(
    { id: 'launch-partners-2026', to: { role: 'partner' }, amount: 250, reason: 'Partner programme launch bonus' },
    { id: 'analytics-pilot', to: { workspace: workspaces[0]!.name }, amount: 75, reason: 'Analytics pilot participants' },
    { id: 'globex-merger-2026', to: { organization: 'globex' }, amount: 120, reason: 'Welcome to the Globex merger' },
  );
  return { size, organizations: ORGS, roles, workspaces, projects, packages, users, credits };
}

export { DEFAULT_ORG };
