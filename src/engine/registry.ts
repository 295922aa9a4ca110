import { checkServiceFeatures } from '../declaration/capabilities.ts';
import { ConfigError, InvalidInputError } from '../errors.ts';
import { GITHUB_CAPABILITIES, POSTGRES_CAPABILITIES, SCIM_CAPABILITIES, type ProviderCapabilities, type ProviderName } from '../model/capabilities.ts';
import type { Declaration } from '../model/declaration.ts';
import type { Provider } from '../model/live.ts';
import type { EarlyRead } from '../providers/postgres/early-read.ts';
import type { PostgresConfig } from '../providers/postgres/index.ts';
import type { HttpFlags } from './context.ts';
import { githubWriteInterval, httpLimits } from './http-settings.ts';
import type { RunObserver } from './observer.ts';

/*
 * Every live system roster can drive, one entry per kind of target: what
 * it can hold, and how to open it from the environment (tokens and URLs
 * come from there only, never from files or flags). The provider modules
 * are imported when an entry is opened, so a run that opens none (validate)
 * never loads PGlite, pg or octokit.
 */

/** How a run opens a target; each entry reads the options that concern it. */
export interface OpenOptions {
  /** postgres: how the store is used (`read` never creates or migrates; `missing: 'empty'` reads a store not created yet as empty). */
  access?: PostgresConfig['access'];
  missing?: PostgresConfig['missing'];
  /** postgres: wait this long for the store's lock. */
  lockTimeoutMs?: number;
  /** postgres-embedded: the data dir (store selection: location.ts), and an early read of it to take over. */
  dataDir?: string;
  early?: EarlyRead;
  /** scim, github: the declaration the service is checked against and mapped by. */
  declaration?: Declaration;
  /** scim, github: where the local apply lock lives (a service has no lock roster could take). */
  lockDir?: string;
  http?: HttpFlags;
  observer?: RunObserver;
}

export interface ProviderEntry {
  name: 'postgres-embedded' | 'postgres-server' | 'scim' | 'github';
  /** What settings.provider calls it. */
  provider: ProviderName;
  capabilities: ProviderCapabilities;
  open(env: NodeJS.ProcessEnv, options: OpenOptions): Promise<Provider>;
}

function required(env: NodeJS.ProcessEnv, name: string, provider: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`settings.provider is ${provider}: set ${name}`);
  return value;
}

function declared(options: OpenOptions, entry: string): Declaration {
  if (!options.declaration) throw new Error(`the ${entry} provider is opened with the declaration it serves`);
  return options.declaration;
}

const postgres = async () => (await import('../providers/postgres/index.ts')).PostgresProvider;

export const POSTGRES_EMBEDDED: ProviderEntry = {
  name: 'postgres-embedded',
  provider: 'postgres',
  capabilities: POSTGRES_CAPABILITIES,
  async open(_env, o) {
    return (await postgres()).open({ dataDir: o.dataDir, early: o.early, lockTimeoutMs: o.lockTimeoutMs, access: o.access, missing: o.missing });
  },
};

/** A PostgreSQL server: ROSTER_DATABASE_URL (a secret), and ROSTER_DATABASE_SCHEMA when several stores share one database. */
export const POSTGRES_SERVER: ProviderEntry = {
  name: 'postgres-server',
  provider: 'postgres',
  capabilities: POSTGRES_CAPABILITIES,
  async open(env, o) {
    const databaseUrl = required(env, 'ROSTER_DATABASE_URL', 'postgres');
    const schema = env.ROSTER_DATABASE_SCHEMA || undefined;
    return (await postgres()).open({ databaseUrl, schema, lockTimeoutMs: o.lockTimeoutMs, access: o.access, missing: o.missing });
  },
};

/**
 * A SCIM service, checked against the declaration as soon as it has said
 * what it lacks: every gap the declaration runs into is an input error, at
 * the declaration that needs the feature, before anything is read or written.
 */
export const SCIM: ProviderEntry = {
  name: 'scim',
  provider: 'scim',
  capabilities: SCIM_CAPABILITIES,
  async open(env, o) {
    const d = declared(o, 'scim');
    const limits = httpLimits(o.http ?? {}, env);
    const url = required(env, 'ROSTER_SCIM_URL', 'scim');
    const token = required(env, 'ROSTER_SCIM_TOKEN', 'scim');
    const { ScimProvider } = await import('../providers/scim/index.ts');
    const provider = await ScimProvider.open({
      url,
      token,
      limits,
      ...(o.lockDir !== undefined && { lockDir: o.lockDir }),
      onRetry: (e) => o.observer?.onHttpRetry?.(e),
    });
    const problems = checkServiceFeatures(d, provider.lacking, `the SCIM service at ${provider.describe().target}`);
    if (problems.length) {
      await provider.close();
      throw new InvalidInputError(problems);
    }
    return provider;
  },
};

/** One GitHub organization: ROSTER_GITHUB_ORG, GITHUB_TOKEN, and ROSTER_GITHUB_API_URL for GitHub Enterprise Server. */
export const GITHUB: ProviderEntry = {
  name: 'github',
  provider: 'github',
  capabilities: GITHUB_CAPABILITIES,
  async open(env, o) {
    const d = declared(o, 'github');
    const limits = httpLimits(o.http ?? {}, env);
    const org = required(env, 'ROSTER_GITHUB_ORG', 'github');
    const token = required(env, 'GITHUB_TOKEN', 'github');
    const [{ GithubProvider }, { mappingFrom }] = await Promise.all([import('../providers/github/index.ts'), import('../providers/github/mapping.ts')]);
    return GithubProvider.open({
      org,
      token,
      ...(env.ROSTER_GITHUB_API_URL && { apiUrl: env.ROSTER_GITHUB_API_URL }),
      mapping: mappingFrom(d),
      limits: { ...limits, ...githubWriteInterval(env) },
      ...(o.lockDir !== undefined && { lockDir: o.lockDir }),
      onRetry: (e) => o.observer?.onGitHubRetry?.(e),
    });
  },
};

export const PROVIDERS: readonly ProviderEntry[] = [POSTGRES_EMBEDDED, POSTGRES_SERVER, SCIM, GITHUB];

/** The entry of a settings.provider: for postgres a server when ROSTER_DATABASE_URL is set, else the embedded store. */
export function entryFor(provider: ProviderName, env: NodeJS.ProcessEnv): ProviderEntry {
  if (provider === 'postgres') return env.ROSTER_DATABASE_URL ? POSTGRES_SERVER : POSTGRES_EMBEDDED;
  return provider === 'scim' ? SCIM : GITHUB;
}
