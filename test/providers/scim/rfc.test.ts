import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { startStrictScim, type StrictScimOptions } from '../../fakes/strict-scim-service.ts';
import { runCli } from '../../helpers/cli.ts';
import { tempTree } from '../../helpers/tree.ts';

/**
 * RFC 7644 as written, not as scimmy or Better Auth implement it: each case
 * runs against a strict service double (test/fakes/strict-scim-service.ts)
 * that takes one of the liberties the RFC allows, applies a small
 * declaration, changes it, and needs an empty plan after each apply.
 */
const NOW = ['--now', '2026-11-23T12:00:00Z'];

const declaration = (change: boolean) => `settings:
  provider: scim
  organization: acme
organizations: [{ name: acme }]
roles: [{ name: member }, { name: lead }]
workspaces:
  - name: research
  - name: analytics
users:
  - email: ann@acme.test
    name: Ann Example
    role: ${change ? 'lead' : 'member'}
    department: ${change ? 'Research' : 'Data'}
    workspaces: { research: member${change ? ', analytics: member' : ''} }
  - email: ben@acme.test
    name: Ben Example
    role: member
    status: ${change ? 'inactive' : 'active'}
    workspaces: { analytics: member }
  - email: cid@acme.test
    role: member
    status: ${change ? 'suspended' : 'active'}
    department: ${change ? 'Sales' : 'Data'}
    workspaces: { research: member }
`;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Applies the declaration, then a change to it, against a strict service; after each apply the plan is empty. */
async function converges(options: StrictScimOptions) {
  const service = await startStrictScim(options);
  closers.push(service.close);
  const env = { ROSTER_SCIM_URL: service.url, ROSTER_SCIM_TOKEN: service.token };
  const cwd = tempTree({ 'users/a.yaml': declaration(false) });
  for (const change of [false, true]) {
    writeFileSync(`${cwd}/users/a.yaml`, declaration(change));
    const apply = await runCli(['apply', '--yes', '--allow-mass-removal', '--progress', 'never', ...NOW], cwd, env);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const again = await runCli(['plan', '--detailed-exitcode', ...NOW], cwd, env);
    expect(again.stdout).toContain('No changes');
    expect(again.code).toBe(0);
  }
  return { ...service, cwd, env };
}

/** What the service holds, by userName, in the words roster's declaration uses. */
function held(service: Pick<Awaited<ReturnType<typeof startStrictScim>>, 'users' | 'groups'>) {
  const byId = new Map([...service.users.values()].map((u) => [u.id, u.userName as string]));
  const groups = Object.fromEntries(
    [...service.groups.values()].map((g) => [g.displayName, ((g.members as { value: string }[]) ?? []).map((m) => byId.get(m.value)).sort()]),
  );
  const users = Object.fromEntries(
    [...service.users.values()].map((u) => [u.userName, { active: u.active, ext: u['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] }]),
  );
  return { users, groups };
}

const FINAL = {
  users: {
    'ann@acme.test': { active: true, ext: { organization: 'acme', department: 'Research' } },
    'ben@acme.test': { active: false, ext: { organization: 'acme' } },
    'cid@acme.test': { active: false, ext: { organization: 'acme', department: 'Sales' } },
  },
  groups: { research: ['ann@acme.test', 'cid@acme.test'], analytics: ['ann@acme.test', 'ben@acme.test'] },
};

describe('SCIM as RFC 7644 allows it', () => {
  it('pages by what the service returned when a page holds fewer than count asked, and filter.maxResults is not advertised', async () => {
    const service = await converges({ pageLimit: 2 });
    expect(held(service)).toEqual(FINAL);
    // A read: 3 users in pages of 2 (startIndex 1, then 1 + 2 returned), 2 groups in one page; roster asked for 100 each time.
    service.requests.length = 0;
    const plan = await runCli(['plan', '--detailed-exitcode', ...NOW], service.cwd, service.env);
    expect(plan.code).toBe(0);
    const reads = service.requests.filter((r) => r.method === 'GET' && /^\/(Users|Groups)\?/.test(r.url)).map((r) => r.url);
    expect(reads.sort()).toEqual(['/Groups?startIndex=1&count=100', '/Users?startIndex=1&count=100', '/Users?startIndex=3&count=100']);
  });

  it.each(['capitalized', 'lower'] as const)(
    'reads attribute names and the enterprise URN spelled %s as the RFC spells them (RFC 7643 §2.1)',
    async (names) => {
      const service = await converges({ names });
      expect(held(service)).toEqual(FINAL);
      // The service did answer in its own spelling.
      const answer = await fetch(`${service.url}/Users?startIndex=1&count=1`, {
        headers: { authorization: `Bearer ${service.token}`, accept: 'application/scim+json' },
      });
      const text = await answer.text();
      expect(text).toContain(names === 'lower' ? '"username"' : '"UserName"');
      expect(text).toContain(names === 'lower' ? 'enterprise:2.0:user"' : 'ENTERPRISE:2.0:USER"');
    },
  );

  it('PATCH converges on a service that takes add and replace only without a path: sent again in that form', async () => {
    const service = await converges({ patch: 'pathless-only' });
    expect(held(service)).toEqual(FINAL);
    const patches = service.requests.filter((r) => r.method === 'PATCH').map((r) => (r.body as { Operations: { op: string; path?: string }[] }).Operations);
    // Each refused PATCH is followed by the same one without paths (removes keep theirs).
    const pathless = patches.filter((ops) => ops.every((op) => op.op === 'remove' || op.path === undefined));
    expect(pathless.length).toBeGreaterThan(0);
    expect(pathless.length).toBe(patches.length - pathless.length);
  });

  it.each(['any', 'path-only'] as const)('PATCH converges on a service that takes %s operations (RFC 7644 §3.5.2)', async (patch) => {
    const service = await converges({ patch });
    expect(held(service)).toEqual(FINAL);
    const ops = service.requests.filter((r) => r.method === 'PATCH').flatMap((r) => (r.body as { Operations: { path?: string }[] }).Operations);
    // Every operation roster sends names its path: exact on every service (no path-less replace of a complex attribute).
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.filter((op) => op.path === undefined)).toEqual([]);
  });

  it.each(['application/scim+json; charset=utf-8', 'application/json'])('sends application/scim+json and reads answers labelled %s', async (contentType) => {
    const service = await converges({ contentType });
    expect(held(service)).toEqual(FINAL);
    // The double refuses anything else (406, 415), so convergence already says this; stated here for every request.
    expect(service.requests.filter((r) => !r.accept.includes('application/scim+json'))).toEqual([]);
    const writes = service.requests.filter((r) => r.body !== undefined);
    expect(writes.length).toBeGreaterThan(0);
    expect(new Set(writes.map((r) => r.contentType))).toEqual(new Set(['application/scim+json']));
  });
});
