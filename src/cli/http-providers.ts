import type { Declaration } from '../model/declaration.ts';
import { checkServiceFeatures } from '../declaration/capabilities.ts';
import { ConfigError, InvalidInputError } from '../errors.ts';
import { mappingFrom } from '../providers/github/mapping.ts';
import { GithubProvider } from '../providers/github/index.ts';
import type { HttpLimits, RetryEvent } from '../http/client.ts';
import { ScimProvider, type ScimConfig } from '../providers/scim/index.ts';
import type { Provider } from '../model/live.ts';
import type { GlobalOptions } from './options.ts';
import { parseDuration } from './durations.ts';
import type { Io } from './io.ts';
import { rosterDir } from './store-location.ts';
import { retryReporter } from './retries.ts';

/** Flags win over ROSTER_HTTP_* variables; unset ones keep the defaults. */
export function httpLimits(opts: GlobalOptions, env: NodeJS.ProcessEnv): Partial<HttpLimits> {
  const positive = (value: string | undefined, what: string): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${what} must be a positive number, got "${value}"`);
    return n;
  };
  const timeout = opts.requestTimeout ?? env.ROSTER_HTTP_TIMEOUT;
  const limits: Partial<HttpLimits> = {};
  const concurrency = positive(opts.concurrency ?? env.ROSTER_HTTP_CONCURRENCY, '--concurrency (ROSTER_HTTP_CONCURRENCY)');
  const rps = positive(opts.rps ?? env.ROSTER_HTTP_RPS, '--rps (ROSTER_HTTP_RPS)');
  const retries = env.ROSTER_HTTP_RETRIES === undefined ? undefined : Number(env.ROSTER_HTTP_RETRIES);
  if (concurrency) limits.concurrency = Math.ceil(concurrency);
  if (rps) limits.requestsPerSecond = rps;
  if (timeout) limits.timeoutMs = parseDuration(timeout, '--request-timeout (ROSTER_HTTP_TIMEOUT)');
  if (retries !== undefined && Number.isInteger(retries) && retries >= 0) limits.retries = retries;
  return limits;
}

/** One stderr line per retry, before its wait: what, why, how long, and how many tries are left. */
export function retryLine(e: RetryEvent): string {
  const wait = e.waitMs < 1000 ? `${e.waitMs} ms` : `${(e.waitMs / 1000).toFixed(1)} s`;
  const why = e.retryAfter ? ' as the service asked (Retry-After)' : '';
  return `retrying ${e.what} in ${wait}${why} after attempt ${e.attempt}: ${e.reason} (${e.retriesLeft} ${e.retriesLeft === 1 ? 'retry' : 'retries'} left)\n`;
}

function required(env: NodeJS.ProcessEnv, name: string, provider: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`settings.provider is ${provider}: set ${name}`);
  return value;
}

/**
 * A SCIM service, checked against the declaration as soon as it has said
 * what it lacks: every gap the declaration runs into is an input error, at
 * the declaration that needs the feature, before anything is read or written.
 */
async function openScim(d: Declaration, config: ScimConfig): Promise<Provider> {
  const provider = await ScimProvider.open(config);
  const problems = checkServiceFeatures(d, provider.lacking, `the SCIM service at ${provider.describe().target}`);
  if (problems.length) {
    await provider.close();
    throw new InvalidInputError(problems);
  }
  return provider;
}

/** The HTTP providers, configured from the environment only (tokens never come from files or flags). */
export function openHttpProvider(d: Declaration, opts: GlobalOptions, io: Io): Promise<Provider> {
  const env = io.env;
  const lockDir = rosterDir(opts, io);
  const limits = httpLimits(opts, env);
  if (d.settings.provider === 'scim') {
    const onRetry = (e: RetryEvent) => io.err(retryLine(e));
    return openScim(d, { url: required(env, 'ROSTER_SCIM_URL', 'scim'), token: required(env, 'ROSTER_SCIM_TOKEN', 'scim'), limits, lockDir, onRetry });
  }
  const writeInterval = env.ROSTER_GITHUB_WRITE_INTERVAL;
  return GithubProvider.open({
    org: required(env, 'ROSTER_GITHUB_ORG', 'github'),
    token: required(env, 'GITHUB_TOKEN', 'github'),
    ...(env.ROSTER_GITHUB_API_URL && { apiUrl: env.ROSTER_GITHUB_API_URL }),
    mapping: mappingFrom(d),
    limits: { ...limits, ...(writeInterval && { writeIntervalMs: parseDuration(writeInterval, 'ROSTER_GITHUB_WRITE_INTERVAL') }) },
    lockDir,
    onRetry: retryReporter(io),
  });
}
