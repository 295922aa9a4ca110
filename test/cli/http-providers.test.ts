import { afterEach, describe, expect, it } from 'vitest';
import { unavailableOnce } from '../fakes/unavailable-once.ts';
import { runCli } from '../helpers/cli.ts';
import { startScimServer, type ScimServer } from '../fakes/scim-server.ts';
import { tempTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('retries are shown while they happen', () => {
  it('a SCIM service that answers 503 with Retry-After once: stderr says what is retried, why and for how long; the apply succeeds', async () => {
    const server: ScimServer = await startScimServer({ bulk: false });
    closers.push(server.close);
    const proxy = await unavailableOnce(server.url, (method, path) => method === 'POST' && path === '/Users', 1);
    closers.push(proxy.close);
    const env = { ROSTER_SCIM_URL: proxy.url, ROSTER_SCIM_TOKEN: server.token };
    const cwd = tempTree({ 'users/a.yaml': 'settings: { provider: scim }\nroles: [{ name: member }]\nusers:\n  - { email: ann@acme.test, role: member }\n' });

    const run = await runCli(['apply', '--yes', '--progress', 'never', ...NOW], cwd, env);
    expect(proxy.refused).toEqual(['POST /Users']);
    // The service's Retry-After (1 s) is above roster's first backoff (0.5 to 1 s), so the wait is exactly what it asked.
    expect(run.stderr).toBe(
      'retrying scim POST /Users in 1.0 s as the service asked (Retry-After) after attempt 1: 503 Service Unavailable: Down for a moment (5 retries left)\n',
    );
    expect(run.code).toBe(0);
    expect([...server.store.users.values()].map((u) => u.userName)).toEqual(['ann@acme.test']);
    expect((await runCli(['plan', '--detailed-exitcode', ...NOW], cwd, env)).code).toBe(0);
  });
});
