import { afterEach, describe, expect, it } from 'vitest';
import type { Declaration } from '../../../src/model/declaration.ts';
import { plan } from '../../../src/plan/index.ts';
import type { RetryEvent } from '../../../src/http/github.ts';
import { GithubProvider } from '../../../src/providers/github/index.ts';
import { mappingFrom } from '../../../src/providers/github/mapping.ts';
import { converge } from '../../helpers/apply.ts';
import { NOW, declare } from '../../helpers/declare.ts';
import { startGithubServer, type GithubServer } from '../../fakes/github-org-server.ts';
import { TEST_LIMITS } from '../../helpers/targets.ts';
import { tempTree } from '../../helpers/tree.ts';

function people(n: number): Declaration {
  const users = Array.from(
    { length: n },
    (_, i) =>
      `  - { email: user${i}@acme.test, github: user-${i}, role: ${i === 0 ? 'admin' : 'member'}, workspaces: { team${i % 2}: ${i % 5 === 0 ? 'admin' : 'member'} } }`,
  );
  return declare({
    'users/a.yaml': [
      'settings: { provider: github, guards: { maxRemovalPercent: 100 } }',
      'roles: [{ name: admin, admin: true }, { name: member }]',
      'workspaces: [{ name: team0 }, { name: team1 }]',
      'users:',
      ...users,
      '',
    ].join('\n'),
  });
}

let server: GithubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function open(d: Declaration, token?: string, onRetry?: (e: RetryEvent) => void) {
  server = await startGithubServer();
  return GithubProvider.open({
    org: server.org,
    token: token ?? server.token,
    apiUrl: server.url,
    mapping: mappingFrom(d),
    limits: { ...TEST_LIMITS, writeIntervalMs: 0 },
    lockDir: tempTree(),
    ...(onRetry && { onRetry }),
  });
}

describe('GitHub organization provider', () => {
  it('invites once: a pending invitation counts as present and is never sent again', async () => {
    const d = people(4);
    const provider = await open(d);
    await converge(provider, d);
    expect(server!.log.filter((r) => r.method === 'POST' && r.path.endsWith('/invitations'))).toHaveLength(4);
    const again = await converge(provider, d);
    expect(again.outcomes).toEqual([]);
    expect(server!.log.filter((r) => r.method === 'POST' && r.path.endsWith('/invitations'))).toHaveLength(4);
    expect([...server!.state.invitations.values()].map((i) => [i.login, i.role])).toEqual([
      ['user-0', 'admin'],
      ['user-1', 'direct_member'],
      ['user-2', 'direct_member'],
      ['user-3', 'direct_member'],
    ]);
  });

  it('reads with list requests only once people have accepted: ceil(N / 100) pages per list', async () => {
    const d = people(150);
    const provider = await open(d);
    const result = await converge(provider, d);
    // C changes: 2 teams, 150 invitations, 150 team memberships; plus the roster-managed team once and one user lookup per invitation.
    const writes = server!.log.filter((r) => r.method !== 'GET');
    expect(result.outcomes).toHaveLength(302);
    expect(writes).toHaveLength(302 + 1);
    for (const inv of [...server!.state.invitations.values()]) server!.accept(inv.login);
    const from = server!.log.length;
    expect(plan(d, await provider.read(), NOW).steps).toEqual([]);
    const reads = server!.log.slice(from).map((r) => `${r.method} ${r.path}`);
    expect(reads.filter((r) => r === 'GET /orgs/acme-test/members?role=member')).toHaveLength(2); // 149 members
    expect(reads.filter((r) => r === 'GET /orgs/acme-test/members?role=admin')).toHaveLength(1);
    expect(reads.filter((r) => r.includes('/memberships/'))).toEqual([]); // no per-user GETs
    expect(reads).toHaveLength(2 + 1 + 1 + 1 + 2 + 1 + 2 * (1 + 1 + 1));
  });

  it('retries 429 and 500 answers and still converges', async () => {
    const d = people(6);
    const retries: RetryEvent[] = [];
    const provider = await open(d, undefined, (e) => retries.push(e));
    server!.setFaults({ rate429: 0.15, rate500: 0.15, seed: 11 });
    const result = await converge(provider, d);
    expect(result.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
    const failed = server!.log.filter((r) => r.status === 429 || r.status === 500);
    expect(failed.length).toBeGreaterThan(0);
    // Every failed answer was retried, and each retry was reported with its reason.
    expect(retries).toHaveLength(failed.length);
    expect(new Set(retries.map((e) => e.reason.slice(0, 8)))).toEqual(new Set(['HTTP 429', 'HTTP 500']));
    server!.setFaults(undefined);
    expect(plan(d, await provider.read(), NOW).steps).toEqual([]);
    expect(server!.state.invitations.size).toBe(6);
  });

  it('never shows the token', async () => {
    const d = people(1);
    const provider = await open(d, 'ghp_wrongtoken0123456789');
    expect(JSON.stringify(provider.describe())).not.toContain('ghp_');
    const error = await provider.read().catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'GitHub API: cannot GET /orgs/acme-test/members: HTTP 401: Bad credentials (GITHUB_TOKEN is missing, expired or not valid for this API)',
    );
  });
});
