import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isBlocked, NO_OVERRIDES, plan } from '../../src/plan/index.ts';
import type { Step } from '../../src/model/plan.ts';
import type { Fields } from '../../src/model/json.ts';
import type { LiveState, LiveUser } from '../../src/model/live.ts';
import { ALLOW_ALL } from '../helpers/apply.ts';
import { declare, NOW } from '../helpers/declare.ts';

/**
 * Model-based: random live states and declarations with role
 * redefinitions, multi-resource permissions in random key order, transfers
 * with omitted fields, reactivations, threshold changes, several fragments
 * in random order. The plan is judged against a deliberately naive second
 * implementation of effective access and of what each step does, written
 * here from DESIGN §10 and not from src/plan.
 *
 * RUNS cases by default (sized for a loaded 2-core CI machine); set
 * ROSTER_PROPERTY_RUNS for a long run.
 */
const RUNS = Number(process.env.ROSTER_PROPERTY_RUNS ?? 200);

const EMAILS = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'].map((n) => `${n}@acme.test`);
const ORGS = ['acme', 'globex'];
const ROLES = ['owner', 'admin', 'member', 'viewer'];
const WORKSPACES: Record<string, string> = { alpha: 'acme', beta: 'acme', gamma: 'globex' };
const PROJECTS: Record<string, string> = { apollo: 'acme', hermes: 'globex' };
const STATUSES = ['active', 'invited', 'inactive', 'suspended'] as const;

const flags = fc.record({ owner: fc.boolean(), admin: fc.boolean() });
const permissions = fc
  .shuffledSubarray(['models', 'analytics', 'datasources'], { minLength: 0 })
  .map((keys) => Object.fromEntries(keys.map((k) => [k, ['view']])));
const roleDefs = fc.record({ owner: flags, admin: flags, member: flags, viewer: flags, perms: permissions });
const wsMap = fc.dictionary(fc.constantFrom(...Object.keys(WORKSPACES)), fc.constantFrom('admin', 'member', 'viewer'));
const person = fc.record({
  role: fc.constantFrom(...ROLES),
  status: fc.constantFrom(...STATUSES),
  organization: fc.constantFrom(...ORGS),
  workspaces: fc.option(wsMap, { nil: undefined }),
  projects: fc.option(fc.subarray(Object.keys(PROJECTS)), { nil: undefined }),
});
const world = fc.record({
  liveRoles: roleDefs,
  declaredRoles: roleDefs,
  live: fc.dictionary(fc.constantFrom(...EMAILS), person, { maxKeys: 6 }),
  declared: fc.dictionary(fc.constantFrom(...EMAILS), person, { maxKeys: 6 }),
  liveThreshold: fc.option(fc.constantFrom(100, 1000, 100000), { nil: undefined }),
  threshold: fc.constantFrom(100, 1000, 100000),
  liveMinAdmins: fc.option(fc.constantFrom(0, 1, 2), { nil: undefined }),
  minAdmins: fc.constantFrom(0, 1, 2),
  grant: fc.option(fc.record({ to: fc.constantFrom(...EMAILS), amount: fc.constantFrom(50, 500, 5000) }), { nil: undefined }),
  fragments: fc.integer({ min: 1, max: 3 }),
  order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
});
type World = typeof world extends fc.Arbitrary<infer T> ? T : never;
type Defs = World['liveRoles'];

const inOrg = (org: string, table: Record<string, string>) => (name: string) => table[name] === org;

/** The live state: people keep only workspaces and projects of their own organization (the store's rule). */
function liveState(w: World): LiveState {
  const users: LiveUser[] = Object.entries(w.live).map(([email, p]) => ({
    email,
    name: null,
    role: p.role,
    status: p.status,
    organization: p.organization,
    department: null,
    expires: null,
    managed: true,
    workspaces: Object.fromEntries(Object.entries(p.workspaces ?? {}).filter(([ws]) => inOrg(p.organization, WORKSPACES)(ws))) as LiveUser['workspaces'],
    projects: (p.projects ?? []).filter(inOrg(p.organization, PROJECTS)),
    packages: [],
    invitationKey: null,
    signupCredits: 0,
  }));
  // Live permissions hold the same resources as declared, in another key order.
  const perms = Object.fromEntries(Object.entries(w.declaredRoles.perms).reverse());
  return {
    organizations: ORGS.map((name) => ({ name, displayName: null, managed: true })),
    roles: ROLES.map(
      (name) =>
        ({
          name,
          description: null,
          ...w.liveRoles[name as keyof Defs],
          permissions: name === 'viewer' ? perms : {},
          managed: true,
        }) as LiveState['roles'][number],
    ),
    workspaces: Object.entries(WORKSPACES).map(([name, organization]) => ({ name, organization, description: null, archived: false, managed: true })),
    projects: [],
    packages: [],
    users,
    grants: [],
    policies: { signupCredits: null, lowBalanceThreshold: null, creditExpiryDays: null },
    guards: {
      ...(w.liveThreshold !== undefined && { privilegedCreditAmount: w.liveThreshold }),
      ...(w.liveMinAdmins !== undefined && { minAdmins: w.liveMinAdmins }),
    },
  };
}

/** The declaration, its users spread over several fragments in a random order. */
function declaration(w: World) {
  const users = Object.entries(w.declared).map(([email, p]) => ({
    email,
    role: p.role,
    status: p.status,
    organization: p.organization,
    ...(p.workspaces && { workspaces: Object.fromEntries(Object.entries(p.workspaces).filter(([ws]) => inOrg(p.organization, WORKSPACES)(ws))) }),
    ...(p.projects && { projects: [] as string[] }),
  }));
  const order = users.map((u, i) => ({ u, k: w.order[i] ?? 0 })).sort((a, b) => a.k - b.k);
  const files: Record<string, string> = {
    'users/settings.yaml': stringify({
      settings: { organization: 'acme', guards: { privilegedCreditAmount: w.threshold, minAdmins: w.minAdmins, maxRemovalPercent: 100 } },
      organizations: ORGS.map((name) => ({ name })),
      roles: ROLES.map((name) => ({
        name,
        ...w.declaredRoles[name as keyof Defs],
        ...(name === 'viewer' && Object.keys(w.declaredRoles.perms).length && { permissions: w.declaredRoles.perms }),
      })),
      workspaces: Object.entries(WORKSPACES).map(([name, organization]) => ({ name, organization })),
      ...(w.grant && w.declared[w.grant.to] && { credits: [{ id: 'g', to: w.grant.to, amount: w.grant.amount, reason: 'Grant' }] }),
    }),
  };
  for (let f = 0; f < w.fragments; f++) {
    const mine = order.filter((_, i) => i % w.fragments === f).map((x) => x.u);
    if (mine.length) files[`users/people-${f}.yaml`] = stringify({ users: mine });
  }
  return declare(files);
}

// ---- The naive second implementation ----

const hasAccess = (status: string) => status === 'active' || status === 'invited';

/** Naive effective access: every person's level in their organization, and their workspace roles, if they can log in. */
function naiveAccess(state: LiveState) {
  const defs = new Map(state.roles.map((r) => [r.name, r]));
  const people = new Map<string, { org: string | null; level: number; workspaces: Record<string, string> }>();
  for (const u of state.users) {
    if (!hasAccess(u.status)) continue;
    const r = u.role === null ? undefined : defs.get(u.role);
    const level = r?.owner ? 2 : r?.admin ? 1 : 0;
    people.set(u.email, { org: u.organization, level, workspaces: u.workspaces });
  }
  const count = (org: string, min: number) => [...people.values()].filter((p) => p.org === org && p.level >= min).length;
  return { people, admins: (org: string) => count(org, 1), owners: (org: string) => count(org, 2) };
}

/** What each step does, written out plainly (the test's own model of a provider). */
function naiveApply(live: LiveState, steps: Step[]): LiveState {
  const s = structuredClone(live);
  const u = (email: unknown) => s.users.find((x) => x.email === email);
  for (const step of steps) {
    const a: Fields = step.after ?? {};
    const b: Fields = step.before ?? {};
    if (step.kind === 'role.update' || step.kind === 'role.adopt')
      Object.assign(
        s.roles.find((r) => r.name === a.name)!,
        a,
      );
    else if (step.kind === 'user.create') s.users.push({ ...(a as unknown as LiveUser), managed: true, workspaces: {}, projects: [], packages: [] });
    else if (['user.update', 'user.adopt', 'user.transfer', 'user.reactivate', 'user.suspend', 'user.deactivate'].includes(step.kind))
      Object.assign(u(a.email)!, a);
    else if (step.kind === 'user.delete') s.users = s.users.filter((x) => x.email !== b.email);
    else if (step.kind === 'membership.set') u(a.user)!.workspaces[a.workspace as string] = a.role as 'admin';
    else if (step.kind === 'membership.remove') delete u(b.user)!.workspaces[b.workspace as string];
    else if (step.kind === 'project.assign') u(a.user)!.projects.push(a.project as string);
    else if (step.kind === 'project.unassign') u(b.user)!.projects = u(b.user)!.projects.filter((p) => p !== b.project);
    else if (step.kind === 'credit.grant') s.grants.push({ ...(a as unknown as LiveState['grants'][number]) });
    else if (step.kind === 'settings.update') {
      const [key, value] = Object.entries(a)[0]!;
      if (key.startsWith('guards.')) s.guards = { ...s.guards, [key.slice(7)]: value as number };
    } else throw new Error(`the model does not know ${step.kind}`);
  }
  return s;
}

describe('privilege (model-based property)', () => {
  it(`every raise of privilege is privileged, guards hold per organization, apply then plan is empty, transfers leave nothing behind (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(world, (w) => {
        const live = liveState(w);
        const d = declaration(w);
        const p = plan(d, live, NOW, NO_OVERRIDES);
        const after = naiveApply(live, p.steps);
        const was = naiveAccess(live);
        const now = naiveAccess(after);
        const privileged = p.steps.filter((s) => s.risk.includes('privileged')).map((s) => s.key);

        // (a) Every increase of anyone's effective privilege comes with a privileged step about them or their role.
        for (const [email, n] of now.people) {
          const before = was.people.get(email);
          const raisedLevel = n.level > (before && before.org === n.org ? before.level : 0);
          const raisedWorkspace = Object.entries(n.workspaces).some(([ws, role]) => role === 'admin' && before?.workspaces[ws] !== 'admin');
          if (!raisedLevel && !raisedWorkspace) continue;
          const role = after.users.find((x) => x.email === email)!.role;
          expect(
            privileged.some((k) => k === `user:${email}` || k === `role:${role}` || k.endsWith(`:${email}`)),
            `${email} gains privilege without a privileged step`,
          ).toBe(true);
        }
        // A grant at or above the live threshold (never the raised one) is privileged.
        const threshold = Math.min(w.liveThreshold ?? 1000, w.threshold);
        for (const g of p.steps.filter((s) => s.kind === 'credit.grant')) if (Number(g.after!.amount) >= threshold) expect(g.risk).toContain('privileged');

        // (b) A plan that passes the guards leaves no organization below minAdmins (unless it already was) and none without an owner.
        if (!isBlocked(p)) {
          const minAdmins = Math.max(w.liveMinAdmins ?? 1, w.minAdmins);
          for (const org of ORGS) {
            expect(now.admins(org) >= minAdmins || now.admins(org) >= was.admins(org), `${org} admins ${was.admins(org)} -> ${now.admins(org)}`).toBe(true);
            if (was.owners(org) > 0) expect(now.owners(org), `${org} loses its last owner`).toBeGreaterThan(0);
          }
        }

        // (c) Apply (with every override), then plan: nothing left to do.
        const full = plan(d, live, NOW, ALLOW_ALL);
        if (full.problems.some((x) => x.severity === 'error')) return;
        const applied = naiveApply(live, full.steps);
        expect(plan(d, applied, NOW, ALLOW_ALL).steps.map((s) => `${s.kind} ${s.key}`)).toEqual([]);

        // (d) After a transfer the person reaches nothing of the old organization.
        for (const [email, p2] of Object.entries(w.declared)) {
          const before = live.users.find((x) => x.email === email);
          if (!before || before.organization === p2.organization) continue;
          const moved = applied.users.find((x) => x.email === email)!;
          expect(Object.keys(moved.workspaces).filter((ws) => WORKSPACES[ws] !== p2.organization)).toEqual([]);
          expect(moved.projects.filter((pr) => PROJECTS[pr] !== p2.organization)).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
