import { ConfigError, UsageError } from '../errors.ts';
import type { HttpLimits } from '../http/client.ts';
import type { GitHubLimits } from '../http/github.ts';
import { durationMs, notADuration } from '../util/durations.ts';
import type { HttpFlags } from './context.ts';

function duration(text: string, what: string): number {
  const ms = durationMs(text);
  if (ms === null) throw new UsageError(notADuration(what, text));
  return ms;
}

/** Flags win over ROSTER_HTTP_* variables; unset ones keep the defaults. */
export function httpLimits(flags: HttpFlags, env: NodeJS.ProcessEnv): Partial<HttpLimits> {
  const positive = (value: string | undefined, what: string): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${what} must be a positive number, got "${value}"`);
    return n;
  };
  const timeout = flags.requestTimeout ?? env.ROSTER_HTTP_TIMEOUT;
  const limits: Partial<HttpLimits> = {};
  const concurrency = positive(flags.concurrency ?? env.ROSTER_HTTP_CONCURRENCY, '--concurrency (ROSTER_HTTP_CONCURRENCY)');
  const rps = positive(flags.rps ?? env.ROSTER_HTTP_RPS, '--rps (ROSTER_HTTP_RPS)');
  const retries = env.ROSTER_HTTP_RETRIES === undefined ? undefined : Number(env.ROSTER_HTTP_RETRIES);
  if (concurrency) limits.concurrency = Math.ceil(concurrency);
  if (rps) limits.requestsPerSecond = rps;
  if (timeout) limits.timeoutMs = duration(timeout, '--request-timeout (ROSTER_HTTP_TIMEOUT)');
  if (retries !== undefined && Number.isInteger(retries) && retries >= 0) limits.retries = retries;
  return limits;
}

/** ROSTER_GITHUB_WRITE_INTERVAL: the pause between two writes to GitHub (its secondary rate limit). */
export function githubWriteInterval(env: NodeJS.ProcessEnv): Pick<Partial<GitHubLimits>, 'writeIntervalMs'> {
  const text = env.ROSTER_GITHUB_WRITE_INTERVAL;
  return text ? { writeIntervalMs: duration(text, 'ROSTER_GITHUB_WRITE_INTERVAL') } : {};
}
