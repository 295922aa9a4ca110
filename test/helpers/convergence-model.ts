import fc from 'fast-check';
import { stringify } from 'yaml';

/**
 * Random declarations for the convergence property, as real ones vary:
 * organizations, roles (flags, permissions in random key order,
 * descriptions), workspaces (renames), projects (owner, organization),
 * packages (createdBy), users with omitted fields, invitations, credits
 * (emails and selectors), settings; each spread over several fragments in
 * random order. Generated raw, then made valid against the live state
 * (`sanitize`): what the declaration rules would refuse is dropped.
 */

export const EMAILS = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal'].map((n) => `${n}@acme.test`);
/** Never declared: settings.exclude keeps it out of roster's hands. */
export const EXCLUDED = 'root@acme.test';
const OPTIONAL_ORGS = ['globex', 'initech'] as const;
const ORGS = ['acme', ...OPTIONAL_ORGS] as const;
export const ROLES = ['owner', 'admin', 'member', 'auditor', 'partner'] as const;
/** Workspaces belong to one organization for good: moving one is not something a declaration does. */
const WORKSPACE_ORGS = { alpha: 'acme', beta: 'acme', gamma: 'globex', delta: 'initech' } as const;
export const WORKSPACES = Object.keys(WORKSPACE_ORGS) as (keyof typeof WORKSPACE_ORGS)[];
export const PROJECTS = ['apollo', 'hermes', 'zeus'] as const;
export const PACKAGES = ['core', 'ui', 'cli'] as const;
const RESOURCES = ['models', 'analytics', 'datasources', 'billing'];
const ACTIONS = ['view', 'export', 'edit'];

const maybe = <T>(arb: fc.Arbitrary<T>, freq = 3) => fc.option(arb, { nil: undefined, freq });
const text = fc.constantFrom('First', 'Second');

/** Permissions as entries, in the order they are written (random): the store hands keys back in its own. */
const permissions = fc
  .shuffledSubarray(RESOURCES, { minLength: 1 })
  .chain((resources) => fc.tuple(...resources.map((r) => fc.tuple(fc.constant(r), fc.shuffledSubarray(ACTIONS, { minLength: 1 })))));

const role = fc.record({
  owner: fc.boolean(),
  admin: fc.boolean(),
  description: maybe(text),
  permissions: maybe(permissions, 1),
});

const user = fc.record({
  role: fc.constantFrom(...ROLES),
  status: fc.constantFrom('active', 'active', 'invited', 'inactive', 'suspended'),
  organization: fc.constantFrom(...ORGS),
  name: maybe(text),
  // Mostly declared, and changing: the mutation check relies on department changes being common.
  department: maybe(fc.constantFrom('Eng', 'Ops', 'Sales'), 4),
  expires: maybe(fc.constantFrom('2026-01-01', '2027-01-01'), 1),
  workspaces: maybe(fc.dictionary(fc.constantFrom(...WORKSPACES), fc.constantFrom('admin', 'member', 'viewer'), { maxKeys: 3 })),
  projects: maybe(fc.subarray([...PROJECTS])),
  packages: maybe(fc.subarray([...PACKAGES])),
  resendInvitation: maybe(fc.constantFrom('r1', 'r2'), 1),
});

const selector = fc.oneof(
  fc.constantFrom(...ROLES).map((r) => ({ role: r })),
  fc.constantFrom(...WORKSPACES).map((w) => ({ workspace: w as string })),
  fc.constantFrom(...ORGS).map((o) => ({ organization: o as string })),
  fc.constant({ all: true as const }),
);

export const rawDeclaration = fc.record({
  organizations: fc.subarray([...OPTIONAL_ORGS]),
  acmeDisplayName: maybe(fc.constantFrom('Acme Inc', 'ACME')),
  roles: fc.record({ owner: role, admin: role, member: role, auditor: maybe(role, 2), partner: maybe(role, 1) }),
  workspaces: fc.record(
    Object.fromEntries(WORKSPACES.map((w) => [w, maybe(fc.record({ description: maybe(text) }), 4)])) as Record<
      (typeof WORKSPACES)[number],
      fc.Arbitrary<{ description?: string } | undefined>
    >,
  ),
  renameAlpha: fc.boolean(),
  projects: fc.record(
    Object.fromEntries(
      PROJECTS.map((p) => [p, maybe(fc.record({ organization: fc.constantFrom(...ORGS), owner: fc.constantFrom(...EMAILS), description: maybe(text) }), 4)]),
    ) as Record<(typeof PROJECTS)[number], fc.Arbitrary<{ organization: string; owner: string; description?: string } | undefined>>,
  ),
  packages: fc.record(
    Object.fromEntries(PACKAGES.map((p) => [p, maybe(fc.record({ createdBy: maybe(fc.constantFrom(...EMAILS)), description: maybe(text) }), 4)])) as Record<
      (typeof PACKAGES)[number],
      fc.Arbitrary<{ createdBy?: string; description?: string } | undefined>
    >,
  ),
  people: fc.dictionary(fc.constantFrom(...EMAILS), user, { minKeys: 1, maxKeys: 7 }),
  removal: fc.constantFrom('deactivate', 'delete'),
  unmanaged: fc.constantFrom('ignore', 'report', 'deactivate'),
  signupCredits: maybe(fc.integer({ min: 1, max: 100 })),
  credits: fc.array(
    fc.record({
      id: fc.constantFrom('g1', 'g2', 'g3'),
      to: fc.oneof(fc.constantFrom(...EMAILS), selector),
      amount: fc.integer({ min: 1, max: 500 }),
      kind: fc.constantFrom('awarded', 'purchased'),
    }),
    { maxLength: 3 },
  ),
  keepGrants: fc.boolean(),
  /** How the entities are spread over fragments: the file count and a seed for the shuffle. */
  layout: fc.record({ files: fc.integer({ min: 1, max: 3 }), seed: fc.integer() }),
});
export type RawDeclaration = typeof rawDeclaration extends fc.Arbitrary<infer T> ? T : never;

export type Selector = { role: string } | { workspace: string } | { organization: string } | { all: true };
export type Status = 'active' | 'invited' | 'inactive' | 'suspended';

/** A valid declaration, as plain data: what the oracle reads, and what the fragments are written from. */
export interface Model {
  settings: { removal: string; unmanaged: string; signupCredits?: number };
  organizations: { name: string; displayName?: string }[];
  roles: { name: string; owner: boolean; admin: boolean; description?: string; permissions?: [string, string[]][] }[];
  workspaces: { name: string; organization: string; description?: string; previously?: string[] }[];
  projects: { name: string; organization: string; owner: string; description?: string }[];
  packages: { name: string; createdBy?: string; description?: string }[];
  users: {
    email: string;
    role: string;
    status: Status;
    organization: string;
    name?: string;
    department?: string;
    expires?: string;
    workspaces?: Record<string, string>;
    projects?: string[];
    packages?: string[];
    resendInvitation?: string;
  }[];
  credits: { id: string; to: string | Selector; amount: number; kind: string; reason: string }[];
  layout: RawDeclaration['layout'];
}

export const hasAccess = (status: string) => status === 'active' || status === 'invited';
export const effectivelyActive = (u: Model['users'][number], today: string) => hasAccess(u.status) && !(u.expires !== undefined && u.expires < today);

/** What the live state must be told for the raw declaration to be valid: each user's current organization. */
export interface LiveOrganizations {
  users: Record<string, { organization: string | null }>;
}

/**
 * The raw declaration made valid: references resolve, users join only their
 * organization's workspaces and projects, project owners are active members
 * of the project's organization, grant ids are new (`prefix`) unless carried
 * over unchanged from the previous declaration.
 */
export function sanitize(g: RawDeclaration, live: LiveOrganizations, prefix: string, previous: Model | undefined, today: string): Model {
  const orgs = ['acme', ...g.organizations];
  const roles = ROLES.filter((r) => g.roles[r] !== undefined).map((name) => {
    const r = g.roles[name]!;
    return { name, owner: r.owner, admin: r.admin, ...(r.description && { description: r.description }), ...(r.permissions && { permissions: r.permissions }) };
  });
  const rename = (w: string) => (w === 'alpha' && g.renameAlpha ? 'alpha2' : w);
  const workspaces = WORKSPACES.filter((w) => g.workspaces[w] && orgs.includes(WORKSPACE_ORGS[w])).map((w) => ({
    name: rename(w),
    organization: WORKSPACE_ORGS[w] as string,
    ...(g.workspaces[w]!.description && { description: g.workspaces[w]!.description }),
    ...(rename(w) !== w && { previously: [w] }),
  }));
  const packages = PACKAGES.filter((p) => g.packages[p]).map((name) => ({ name, ...g.packages[name]! }));

  const users: Model['users'] = Object.entries(g.people).map(([email, raw]) => {
    const organization = orgs.includes(raw.organization) ? raw.organization : 'acme';
    const u: Model['users'][number] = {
      email,
      role: roles.some((r) => r.name === raw.role) ? raw.role : 'member',
      status: raw.status as Status,
      organization,
      ...(raw.name && { name: raw.name }),
      ...(raw.department && { department: raw.department }),
      ...(raw.expires && { expires: raw.expires }),
      ...(raw.resendInvitation && { resendInvitation: raw.resendInvitation }),
    };
    if (raw.workspaces)
      u.workspaces = Object.fromEntries(
        Object.entries(raw.workspaces)
          .filter(([w]) => WORKSPACE_ORGS[w as keyof typeof WORKSPACE_ORGS] === organization && g.workspaces[w as keyof typeof WORKSPACE_ORGS])
          .map(([w, r]) => [rename(w), r]),
      );
    if (raw.projects) u.projects = raw.projects;
    if (raw.packages) u.packages = raw.packages.filter((p) => g.packages[p]);
    // Issue 12, defect 2 (privilege's): what a transfer does with omitted workspaces, projects and packages
    // is being decided there; transfers here always declare them.
    const current = live.users[email];
    if (current && current.organization !== organization) {
      u.workspaces ??= {};
      u.projects ??= [];
      u.packages ??= [];
    }
    return u;
  });

  const projects = PROJECTS.flatMap((name) => {
    const p = g.projects[name];
    if (!p || !orgs.includes(p.organization)) return [];
    const eligible = users.filter((u) => u.organization === p.organization && effectivelyActive(u, today));
    const owner = eligible.find((u) => u.email === p.owner) ?? eligible[0];
    return owner ? [{ name, organization: p.organization, owner: owner.email, ...(p.description && { description: p.description }) }] : [];
  });
  for (const u of users) if (u.projects) u.projects = u.projects.filter((p) => projects.some((x) => x.name === p && x.organization === u.organization));
  for (const p of packages) if (p.createdBy && !users.some((u) => u.email === p.createdBy)) delete p.createdBy;

  const resolves = (to: string | Selector) =>
    typeof to === 'string'
      ? users.some((u) => u.email === to)
      : 'role' in to
        ? roles.some((r) => r.name === to.role)
        : 'workspace' in to
          ? workspaces.some((w) => w.name === to.workspace)
          : 'organization' in to
            ? orgs.includes(to.organization)
            : true;
  const seen = new Set<string>();
  const fresh = g.credits
    .filter((c) => !seen.has(c.id) && seen.add(c.id) && resolves(c.to))
    .map((c) => ({ id: `${prefix}-${c.id}`, to: c.to as string | Selector, amount: c.amount, kind: c.kind, reason: `Grant ${c.id}` }));
  const carried = g.keepGrants && previous ? previous.credits.filter((c) => resolves(c.to)) : [];

  return {
    settings: { removal: g.removal, unmanaged: g.unmanaged, ...(g.signupCredits && { signupCredits: g.signupCredits }) },
    organizations: orgs.map((name) => ({ name, ...(name === 'acme' && g.acmeDisplayName && { displayName: g.acmeDisplayName }) })),
    roles,
    workspaces,
    projects,
    packages,
    users,
    credits: [...carried, ...fresh],
    layout: g.layout,
  };
}

/** A small deterministic shuffle, seeded by the generated layout. */
function shuffler(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    pick: (n: number) => Math.floor(next() * n),
    shuffle: <T>(xs: T[]) =>
      xs
        .map((x) => [next(), x] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, x]) => x),
  };
}

/** The model as YAML fragments under users/: entities spread over the files and shuffled, settings in the first. */
export function fragments(m: Model): Record<string, string> {
  const { pick, shuffle } = shuffler(m.layout.seed);
  const files: Record<string, unknown[]>[] = Array.from({ length: m.layout.files }, () => ({}));
  const put = (key: string, items: unknown[]) => {
    for (const item of shuffle(items)) (files[pick(files.length)]![key] ??= []).push(item);
  };
  put('organizations', m.organizations);
  put(
    'roles',
    m.roles.map(({ permissions, owner, admin, ...r }) => ({
      ...r,
      ...(owner && { owner }),
      ...(admin && { admin }),
      ...(permissions && { permissions: Object.fromEntries(permissions) }),
    })),
  );
  put('workspaces', m.workspaces);
  put('projects', m.projects);
  put('packages', m.packages);
  put('users', m.users);
  put('credits', m.credits);
  const settings = {
    organization: 'acme',
    removal: m.settings.removal,
    unmanaged: m.settings.unmanaged,
    exclude: [EXCLUDED],
    ...(m.settings.signupCredits && { policies: { signupCredits: m.settings.signupCredits } }),
  };
  return Object.fromEntries(files.map((f, i) => [`users/part-${i}.yaml`, stringify(i === 0 ? { settings, ...f } : f)]));
}

/** Changes made directly in the store between applies, behind roster's back. */
export const drift = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('role' as const), role: fc.constantFrom(...ROLES), change: fc.constantFrom('admin', 'owner', 'permissions', 'description') }),
    fc.record({
      op: fc.constant('join' as const),
      email: fc.constantFrom(...EMAILS),
      workspace: fc.constantFrom('alpha', 'alpha2', 'beta', 'gamma', 'delta'),
      role: fc.constantFrom('admin', 'member', 'viewer'),
    }),
    fc.record({ op: fc.constant('deactivate' as const), email: fc.constantFrom(...EMAILS) }),
    fc.record({ op: fc.constant('accept' as const), email: fc.constantFrom(...EMAILS) }),
    fc.record({ op: fc.constant('department' as const), email: fc.constantFrom(...EMAILS) }),
    fc.record({ op: fc.constant('stranger' as const), email: fc.constantFrom(...EMAILS) }),
    fc.record({ op: fc.constant('unassign' as const), email: fc.constantFrom(...EMAILS) }),
    fc.record({ op: fc.constant('creator' as const), pkg: fc.constantFrom(...PACKAGES), email: fc.constantFrom(...EMAILS) }),
    fc.record({ op: fc.constant('excluded' as const), role: fc.constantFrom(...ROLES), organization: fc.constantFrom(...ORGS) }),
  ),
  { maxLength: 4 },
);
export type Drift = typeof drift extends fc.Arbitrary<infer T> ? T : never;
