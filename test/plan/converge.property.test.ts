import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedDb } from '../../src/providers/postgres/embedded.ts';
import { plan } from '../../src/plan/index.ts';
import { PostgresProvider } from '../../src/providers/postgres/index.ts';
import { pgliteClient } from '../../src/providers/postgres/sql.ts';
import { ALLOW_ALL, converge } from '../helpers/apply.ts';
import { NOW, load, messages } from '../helpers/declare.ts';
import { freshPglite } from '../helpers/store.ts';

const EMAILS = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal'].map((n) => `${n}@acme.test`);
const ORGS = ['acme', 'globex'];
const ROLES = ['owner', 'admin', 'member', 'viewer'];
const WORKSPACES = [
  { name: 'alpha', organization: 'acme' },
  { name: 'beta', organization: 'acme' },
  { name: 'gamma', organization: 'globex' },
];
const PROJECTS = [
  { name: 'apollo', organization: 'acme' },
  { name: 'hermes', organization: 'globex' },
];
const PACKAGES = ['core', 'ui'];

const user = fc.record({
  role: fc.constantFrom(...ROLES),
  status: fc.constantFrom('active', 'invited', 'inactive', 'suspended'),
  organization: fc.constantFrom(...ORGS),
  name: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }),
  department: fc.option(fc.constantFrom('Eng', 'Ops'), { nil: undefined }),
  expires: fc.option(fc.constantFrom('2026-01-01', '2027-01-01'), { nil: undefined }),
  workspaces: fc.option(fc.dictionary(fc.constantFrom(...WORKSPACES.map((w) => w.name)), fc.constantFrom('admin', 'member', 'viewer')), { nil: undefined }),
  projects: fc.option(fc.subarray(PROJECTS.map((p) => p.name)), { nil: undefined }),
  packages: fc.option(fc.subarray(PACKAGES), { nil: undefined }),
});

const declaration = fc.record({
  people: fc.dictionary(fc.constantFrom(...EMAILS), user, { maxKeys: 8 }),
  removal: fc.constantFrom('deactivate', 'delete'),
  unmanaged: fc.constantFrom('ignore', 'report', 'deactivate'),
  signupCredits: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  renameAlpha: fc.boolean(),
  credits: fc.array(fc.record({ id: fc.constantFrom('g1', 'g2', 'g3'), to: fc.oneof(fc.constantFrom(...EMAILS), fc.constantFrom({ role: 'member' }, { organization: 'globex' }, { all: true }, { workspace: 'beta' })), amount: fc.integer({ min: 1, max: 500 }) }), { maxLength: 3 }),
});

type Generated = typeof declaration extends fc.Arbitrary<infer T> ? T : never;

/**
 * Turns generated data into a valid declaration file (dropping what the rules would reject).
 * Grant ids are prefixed per declaration: changing an applied grant is an error by design.
 */
function toYaml(g: Generated, grantPrefix: string): string {
  const today = NOW.toISOString().slice(0, 10);
  const active = (u: Generated['people'][string]) => (u.status === 'active' || u.status === 'invited') && !(u.expires && u.expires < today);
  const users = Object.entries(g.people).map(([email, u]) => ({
    email,
    role: u.role,
    status: u.status,
    organization: u.organization,
    ...(u.name && { name: u.name }),
    ...(u.department && { department: u.department }),
    ...(u.expires && { expires: u.expires }),
    ...(u.workspaces && { workspaces: Object.fromEntries(Object.entries(u.workspaces).filter(([w]) => WORKSPACES.find((x) => x.name === w)!.organization === u.organization)) }),
    ...(u.projects && { projects: u.projects.filter((p) => PROJECTS.find((x) => x.name === p)!.organization === u.organization) }),
    ...(u.packages && { packages: u.packages }),
  }));
  const workspaces = WORKSPACES.map((w) => (w.name === 'alpha' && g.renameAlpha ? { name: 'alpha2', organization: w.organization, previously: ['alpha'] } : w));
  for (const u of users) if (g.renameAlpha && u.workspaces && 'alpha' in u.workspaces) u.workspaces = Object.fromEntries(Object.entries(u.workspaces).map(([k, v]) => [k === 'alpha' ? 'alpha2' : k, v]));
  const projects = PROJECTS.flatMap((p) => {
    const owner = Object.entries(g.people).find(([, u]) => u.organization === p.organization && active(u));
    return owner ? [{ ...p, owner: owner[0] }] : [];
  });
  for (const u of users) if (u.projects) u.projects = u.projects.filter((p) => projects.some((x) => x.name === p));
  const seen = new Set<string>();
  const credits = g.credits.filter((c) => !seen.has(c.id) && seen.add(c.id) && (typeof c.to !== 'string' || users.some((u) => u.email === c.to))).map((c) => ({ ...c, id: `${grantPrefix}-${c.id}`, reason: `Grant ${c.id}` }));
  return stringify({
    settings: { organization: 'acme', removal: g.removal, unmanaged: g.unmanaged, exclude: ['root@acme.test'], ...(g.signupCredits && { policies: { signupCredits: g.signupCredits } }) },
    organizations: ORGS.map((name) => ({ name })),
    roles: ROLES.map((name) => ({ name, ...(name === 'owner' && { owner: true }), ...(name === 'admin' && { admin: true }) })),
    workspaces,
    projects,
    packages: PACKAGES.map((name) => ({ name })),
    users,
    credits,
  });
}

describe('convergence (property)', () => {
  let db: EmbeddedDb;
  let provider: PostgresProvider;
  beforeAll(async () => {
    db = await freshPglite();
    provider = await PostgresProvider.open({ pglite: db });
  });
  afterAll(async () => {
    await provider.close();
    await db.close();
  });

  it('for random declarations over random live states, applying the plan and planning again gives an empty plan', async () => {
    await fc.assert(
      fc.asyncProperty(declaration, declaration, fc.subarray(EMAILS.slice(4)), async (first, second, strangers) => {
        await pgliteClient(db).exec(
          'truncate audit_events, credit_ledger, credit_grants, package_assignments, project_members, workspace_members, invitations, projects, packages, workspaces, users, roles, organizations, platform_settings cascade',
        );
        // The live state: what an earlier declaration left, plus users roster never managed.
        const earlier = load({ 'users/a.yaml': toYaml(first, 'first') });
        expect(messages(earlier).filter((m) => m.includes(' error: '))).toEqual([]);
        await converge(provider, earlier.declaration!, ALLOW_ALL);
        for (const email of [...strangers, 'root@acme.test']) {
          await pgliteClient(db).query(`insert into users (email, role, status, organization, managed) values ($1, 'member', 'active', 'acme', false) on conflict do nothing`, [email]);
        }
        const next = load({ 'users/a.yaml': toYaml(second, 'second') });
        expect(messages(next).filter((m) => m.includes(' error: '))).toEqual([]);
        const result = await converge(provider, next.declaration!, ALLOW_ALL);
        expect(result.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
        const again = plan(next.declaration!, await provider.read(), NOW, ALLOW_ALL);
        expect(again.steps).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
