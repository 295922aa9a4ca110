import { mappingFrom } from '../../src/providers/github/mapping.ts';
import { GithubProvider } from '../../src/providers/github/index.ts';
import { ScimProvider } from '../../src/providers/scim/index.ts';
import type { Declaration } from '../../src/model/declaration.ts';
import type { Provider } from '../../src/model/live.ts';
import { startGithubServer, type GithubServer } from '../fakes/github-org-server.ts';
import { startBetterAuthScimServer, type BetterAuthScimServer } from './better-auth-scim-server.ts';
import { startScimServer, type ScimServer, type ScimServerOptions } from '../fakes/scim-server.ts';
import { engines, type Engine } from './store.ts';
import { tempTree } from './tree.ts';

/** Fast limits for loopback servers: no pacing between writes, short backoff. */
export const TEST_LIMITS = { concurrency: 4, requestsPerSecond: 1000, timeoutMs: 5000, retries: 6, minRetryDelayMs: 5, maxRetryDelayMs: 50 };

/** One live system under the conformance suite, reached through its real protocol. */
export interface Live {
  /** A provider on this live system; for github it needs the declaration's login mapping. */
  provider(d: Declaration): Promise<Provider>;
  /** An account made by hand, behind roster's back. */
  addByHand(email: string, login: string): Promise<void>;
  /** People accept their invitations (GitHub); nothing elsewhere. */
  acceptInvitations(): void;
  /** What a child `roster` process needs to reach the same live system. */
  env(cwd: string): Record<string, string>;
  close(): Promise<void>;
}

export interface Target {
  name: string;
  /** Why this target's tests cannot run here (no server configured); see describeEach. */
  skip?: string;
  provider: 'postgres' | 'scim' | 'github';
  supports: { transfer: boolean; workspaceAdmin: boolean; keepsInactive: boolean };
  start(): Promise<Live>;
}

function postgresTarget(engine: Engine): Target {
  return {
    name: `postgres on ${engine.name}`,
    ...(engine.skip && { skip: engine.skip }),
    provider: 'postgres',
    supports: { transfer: true, workspaceAdmin: true, keepsInactive: true },
    start: async () => {
      const cwd = tempTree();
      // Child processes reach PGlite through its data dir; the server through its schema.
      const isPglite = engine.name === 'pglite';
      const { PostgresProvider } = await import('../../src/providers/postgres/index.ts');
      let shared: Awaited<ReturnType<Engine['open']>> | undefined;
      const open = async () => (isPglite ? PostgresProvider.open({ dataDir: `${cwd}/.roster/live` }) : (shared ??= await engine.open()));
      const opened: Provider[] = [];
      return {
        provider: async () => {
          const p = await open();
          opened.push(p);
          return isPglite ? p : { ...wrap(p), close: async () => undefined };
        },
        addByHand: async (email) => {
          const p = await open();
          await p.client.query(`insert into users (email, role, status, organization, managed) values ($1, 'member', 'active', 'acme', false)`, [email]);
          if (isPglite) await p.close();
        },
        acceptInvitations: () => undefined,
        env: () => (isPglite ? { ROSTER_DATA_DIR: `${cwd}/.roster/live` } : engine.env(cwd)),
        close: async () => {
          if (shared) await shared.close();
        },
      };
    },
  };
}

/** Keeps a provider's methods bound when its close is replaced. */
function wrap(p: Provider): Provider {
  return {
    describe: () => p.describe(),
    read: () => p.read(),
    applyBatch: (s, d, o) => p.applyBatch(s, d, o),
    lock: (t) => p.lock(t),
    ...(p.auditStore && { auditStore: p.auditStore }),
    close: () => p.close(),
  };
}

export function scimTarget(
  options: ScimServerOptions = { bulk: { maxOperations: 10, maxPayloadSize: 65_536 }, maxResults: 50 },
): Target & { server?: ScimServer } {
  const target: Target & { server?: ScimServer } = {
    name: `scim${options.bulk ? ' with /Bulk' : ''}`,
    provider: 'scim',
    supports: { transfer: true, workspaceAdmin: false, keepsInactive: true },
    start: async () => {
      const server = await startScimServer(options);
      target.server = server;
      const lockDir = tempTree();
      return {
        provider: () => ScimProvider.open({ url: server.url, token: server.token, limits: TEST_LIMITS, lockDir }),
        addByHand: async (email) => {
          server.addUser({ userName: email, emails: [{ value: email, primary: true }], active: true, roles: [{ value: 'member', primary: true }] });
        },
        acceptInvitations: () => undefined,
        env: () => ({ ROSTER_SCIM_URL: server.url, ROSTER_SCIM_TOKEN: server.token }),
        close: () => server.close(),
      };
    },
  };
  return target;
}

/**
 * A second, independent SCIM implementation: Better Auth's SCIM plugin on
 * PGlite, unchanged. Accounts made by hand are made the way another
 * provisioning client would: through its SCIM API, without roster's mark.
 */
export function betterAuthScimTarget(): Target & { server?: BetterAuthScimServer } {
  const target: Target & { server?: BetterAuthScimServer } = {
    name: 'scim on @better-auth/scim',
    provider: 'scim',
    supports: { transfer: true, workspaceAdmin: false, keepsInactive: true },
    start: async () => {
      const server = await startBetterAuthScimServer();
      target.server = server;
      const lockDir = tempTree();
      return {
        provider: () => ScimProvider.open({ url: server.url, token: server.token, limits: TEST_LIMITS, lockDir }),
        addByHand: async (email) => server.addUser(email),
        acceptInvitations: () => undefined,
        env: () => ({ ROSTER_SCIM_URL: server.url, ROSTER_SCIM_TOKEN: server.token }),
        close: () => server.close(),
      };
    },
  };
  return target;
}

export function githubTarget(): Target & { server?: GithubServer } {
  const target: Target & { server?: GithubServer } = {
    name: 'github',
    provider: 'github',
    supports: { transfer: false, workspaceAdmin: true, keepsInactive: false },
    start: async () => {
      const server = await startGithubServer();
      target.server = server;
      const lockDir = tempTree();
      return {
        provider: (d) =>
          GithubProvider.open({
            org: server.org,
            token: server.token,
            apiUrl: server.url,
            mapping: mappingFrom(d),
            limits: { ...TEST_LIMITS, writeIntervalMs: 0 },
            lockDir,
          }),
        addByHand: async (_email, login) => server.addMember(login, 'member'),
        acceptInvitations: () => {
          for (const inv of [...server.state.invitations.values()]) server.accept(inv.login);
        },
        env: () => ({ ROSTER_GITHUB_ORG: server.org, GITHUB_TOKEN: server.token, ROSTER_GITHUB_API_URL: server.url, ROSTER_GITHUB_WRITE_INTERVAL: '0ms' }),
        close: () => server.close(),
      };
    },
  };
  return target;
}

/** Every provider, each through its real protocol. */
export function targets(): Target[] {
  return [...engines().map(postgresTarget), scimTarget(), scimTarget({ bulk: false, maxResults: 2 }), betterAuthScimTarget(), githubTarget()];
}
