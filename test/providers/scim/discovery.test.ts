import { afterEach, describe, expect, it } from 'vitest';
import { gapsOf } from '../../../src/providers/scim/discovery.ts';
import { ScimProvider } from '../../../src/providers/scim/index.ts';
import { startScimDouble, type ScimDoubleOptions } from '../../fakes/scim-service.ts';
import { startBetterAuthScimServer } from '../../helpers/better-auth-scim-server.ts';
import { runCli } from '../../helpers/cli.ts';
import { startScimServer } from '../../fakes/scim-server.ts';
import { TEST_LIMITS } from '../../helpers/targets.ts';
import { tempTree } from '../../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];

/** Workspaces, a department and a user organization: everything discovery can find missing. */
const DECLARATION = `settings:
  provider: scim
organizations: [{ name: acme }]
roles: [{ name: member }]
workspaces:
  - name: research
users:
  - email: ann@acme.test
    organization: acme
    role: member
  - email: ben@acme.test
    role: member
    department: Data
    workspaces: { research: member }
`;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function double(options: ScimDoubleOptions) {
  const service = await startScimDouble(options);
  closers.push(service.close);
  return { service, env: { ROSTER_SCIM_URL: service.url, ROSTER_SCIM_TOKEN: service.token } };
}

describe('what a SCIM service lacks, found out when roster connects', () => {
  it('a service without Groups, the enterprise extension and PATCH: every gap at the declaration that needs it, nothing written', async () => {
    const { service, env } = await double({ groups: false, enterprise: false, patch: false });
    const cwd = tempTree({ 'users/a.yaml': DECLARATION });
    const at = `the SCIM service at ${service.url}/`;
    const enterprise =
      "/ResourceTypes lists no enterprise extension on User (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User), where roster keeps a user's department and organization";
    for (const args of [['plan'], ['apply', '--yes']]) {
      const run = await runCli([...args, ...NOW], cwd, env);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      const errors = run.stderr.split('\n').filter((l) => l.startsWith('users/'));
      expect(errors).toEqual([
        `users/a.yaml:2:13: error: settings.provider: ${at} lacks updates: /ServiceProviderConfig says PATCH is not supported, and roster changes users and groups by PATCH`,
        `users/a.yaml:6:5: error: workspace research: ${at} lacks workspaces: /ResourceTypes lists no Group resource type, and roster keeps workspaces as Groups`,
        `users/a.yaml:13:5: error: user ben@acme.test: ${at} lacks departments: ${enterprise}`,
        `users/a.yaml:9:5: error: user ann@acme.test: ${at} lacks user organizations: ${enterprise}`,
      ]);
    }
    // One request per discovery endpoint per run; no list read, no write.
    expect(service.requests).toEqual(Array(2).fill(['GET /ServiceProviderConfig', 'GET /Schemas', 'GET /ResourceTypes']).flat());
  });

  it('a declaration that uses nothing the service lacks is planned as before', async () => {
    const { service, env } = await double({ groups: false, enterprise: false });
    const cwd = tempTree({ 'users/a.yaml': 'settings: { provider: scim }\nroles: [{ name: member }]\nusers:\n  - { email: ann@acme.test, role: member }\n' });
    const run = await runCli(['plan', ...NOW], cwd, env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ann@acme.test');
    // Groups are not listed on a service that has none.
    expect(service.requests).toEqual(['GET /ServiceProviderConfig', 'GET /Schemas', 'GET /ResourceTypes', 'GET /Users']);
  });

  it('a service without /Schemas and /ResourceTypes (404) is not taken to lack anything', async () => {
    const { service, env } = await double({ noDiscovery: true });
    const run = await runCli(['plan', ...NOW], tempTree({ 'users/a.yaml': DECLARATION }), env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(service.requests.slice(0, 3)).toEqual(['GET /ServiceProviderConfig', 'GET /Schemas', 'GET /ResourceTypes']);
  });

  const real: [string, () => Promise<{ url: string; token: string; close(): Promise<void> }>][] = [
    ['scimmy', () => startScimServer({ bulk: false })],
    ['@better-auth/scim', () => startBetterAuthScimServer()],
  ];
  it.each(real)('%s says it has everything the declaration format needs', async (_name, start) => {
    const service = await start();
    closers.push(() => service.close());
    const provider = await ScimProvider.open({ url: service.url, token: service.token, limits: TEST_LIMITS, lockDir: tempTree() });
    expect(provider.lacking).toEqual([]);
    const run = await runCli(['plan', ...NOW], tempTree({ 'users/a.yaml': DECLARATION }), { ROSTER_SCIM_URL: service.url, ROSTER_SCIM_TOKEN: service.token });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('gaps read from what a service says about itself', () => {
  const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
  const user = (extensions: string[]) => ({
    name: 'User',
    endpoint: '/Users',
    schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
    schemaExtensions: extensions.map((schema) => ({ schema })),
  });
  const group = { name: 'Group', endpoint: '/Groups', schema: 'urn:ietf:params:scim:schemas:core:2.0:Group' };
  const features = (d: Parameters<typeof gapsOf>[0]) => gapsOf(d).map((g) => g.feature);

  it('an enterprise extension without department lacks only departments', () => {
    expect(features({ config: {}, resourceTypes: [user([ENTERPRISE]), group], schemas: [{ id: ENTERPRISE, attributes: [{ name: 'Organization' }] }] })).toEqual(
      ['departments'],
    );
  });

  it('the extension listed by either endpoint counts as there', () => {
    expect(features({ config: {}, resourceTypes: [user([]), group], schemas: [{ id: ENTERPRISE }] })).toEqual([]);
    expect(features({ config: {}, resourceTypes: [user([ENTERPRISE]), group], schemas: [] })).toEqual([]);
    expect(features({ config: {}, resourceTypes: null, schemas: [] })).toEqual(['departments', 'user organizations']);
  });

  it('nothing said is nothing missing; PATCH missing only when said so', () => {
    expect(features({ config: {}, resourceTypes: null, schemas: null })).toEqual([]);
    expect(features({ config: { patch: { supported: false } }, resourceTypes: null, schemas: null })).toEqual(['updates']);
  });
});
