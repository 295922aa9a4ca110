import Bottleneck from 'bottleneck';
import { Octokit, RequestError } from 'octokit';
import { ProviderError } from '../../errors.ts';
import { DEFAULT_LIMITS, type HttpLimits } from '../http/client.ts';
import { redactSecrets } from '../http/redact.ts';

export interface GithubLimits extends HttpLimits {
  /** Pause between writes. GitHub asks integrations to leave at least a second between content-creating requests. */
  writeIntervalMs: number;
}

export const GITHUB_DEFAULT_LIMITS: GithubLimits = { ...DEFAULT_LIMITS, writeIntervalMs: 1000 };

/**
 * The one octokit instance roster uses for an organization: octokit's retry
 * plugin (5xx and 429, backoff growing with each attempt), its throttling
 * plugin (rate limits and secondary rate limits honour Retry-After and the
 * reset time), our concurrency and requests-per-second ceiling as the
 * throttling plugin's Bottleneck groups, and a timeout per request.
 */
export function createOctokit(baseUrl: string, token: string, limits: GithubLimits): Octokit {
  const timedFetch: typeof fetch = (url, init) => fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(limits.timeoutMs)]) : AbortSignal.timeout(limits.timeoutMs) });
  const retryLater = (_after: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < limits.retries;
  return new Octokit({
    auth: token,
    baseUrl,
    userAgent: 'roster',
    // Only 5xx and the like are retried (the plugin's doNotRetry list); a per-request `retries` would resend every 4xx too.
    request: { fetch: timedFetch },
    retry: { retries: limits.retries, retryAfterBaseValue: limits.minRetryDelayMs },
    throttle: {
      onRateLimit: retryLater,
      onSecondaryRateLimit: retryLater,
      retryAfterBaseValue: Math.min(1000, limits.maxRetryDelayMs),
      fallbackSecondaryRateRetryAfter: 60,
      global: new Bottleneck.Group({ maxConcurrent: limits.concurrency, minTime: Math.ceil(1000 / limits.requestsPerSecond) }),
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: limits.writeIntervalMs }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: limits.writeIntervalMs }),
    } as never,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}

/** Every octokit failure as a ProviderError naming the request, without the token. */
export async function call<T>(token: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const status = e instanceof RequestError ? e.status : 0;
    const detail = e instanceof RequestError ? ((e.response?.data as { message?: string } | undefined)?.message ?? e.message) : (e as Error).message;
    throw new GithubError(redactSecrets(`github ${what}: ${status ? `${status} ` : ''}${detail}`, [token]), status);
  }
}

export class GithubError extends ProviderError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, status === 0 || status === 429 || status >= 500);
  }
}
