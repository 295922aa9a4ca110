import Bottleneck from 'bottleneck';
import { Octokit } from 'octokit';
import { GitHubApiError, type GitHubFailure } from '../errors.ts';
import { DEFAULT_LIMITS, type HttpLimits } from './client.ts';
import { redactSecrets } from './redact.ts';

export interface GitHubLimits extends HttpLimits {
  /** Pause between writes. GitHub asks integrations to leave at least a second between content-creating requests. */
  writeIntervalMs: number;
}

export const GITHUB_DEFAULT_LIMITS: GitHubLimits = { ...DEFAULT_LIMITS, writeIntervalMs: 1000 };

/** The longest a rate limit's Retry-After or reset time is waited for; past it the request fails. */
const MAX_RATE_LIMIT_WAIT_MS = 15 * 60_000;

/** One request about to be sent again, and why: for the person watching the run. */
export interface RetryEvent {
  /** `GET /orgs/acme/members`, without query or host. */
  request: string;
  /** What went wrong: `HTTP 502: Server Error`, `connection refused by 127.0.0.1:8080`, `rate limited (Retry-After 60s)`. */
  reason: string;
  /** 1 for the first retry. */
  attempt: number;
  retries: number;
  waitMs: number;
}

export interface GitHubClientOptions {
  token: string;
  /** https://api.github.com by default, GitHub Enterprise Server or a test server otherwise. */
  apiUrl?: string;
  limits?: Partial<GitHubLimits>;
  /** Called before each wait for a retry; only the CLI prints it. */
  onRetry?: (event: RetryEvent) => void;
  /** Where the API URL came from (for the fix of an unreachable API), and what a 403 usually means here. */
  hints?: { apiUrlVariable?: string; forbidden?: string; notFound?: string };
}

interface Failure {
  status: number;
  failure: GitHubFailure;
  /** What happened, in words. */
  detail: string;
  rateLimited?: boolean;
  /** Milliseconds GitHub asked us to wait, for a rate limit. */
  waitMs?: number;
}

/**
 * The one GitHub client in roster, for the pull-request commands and the
 * organization provider alike: octokit for the REST calls and pagination,
 * its throttling plugin's Bottleneck groups for pacing (concurrency,
 * requests per second, a pause between writes), a timeout per request, and
 * one retry policy of its own (5xx, rate limits, dropped or refused
 * connections and timeouts; backoff doubling per attempt, Retry-After and
 * the rate limit reset honoured) that reports each wait to `onRetry`. Every
 * failure becomes a GitHubApiError that says what happened and never shows
 * the token.
 */
export class GitHubClient {
  readonly octokit: Octokit;
  readonly apiUrl: string;
  readonly limits: GitHubLimits;

  constructor(private readonly options: GitHubClientOptions) {
    this.apiUrl = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    const limits = (this.limits = { ...GITHUB_DEFAULT_LIMITS, ...options.limits });
    const timedFetch: typeof fetch = (url, init) =>
      fetch(url, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(limits.timeoutMs)]) : AbortSignal.timeout(limits.timeoutMs),
      });
    // Rate limits are retried below with every other failure, so that one policy decides and reports.
    const never = () => false;
    this.octokit = new Octokit({
      auth: options.token,
      baseUrl: this.apiUrl,
      userAgent: 'roster',
      request: { fetch: timedFetch },
      retry: { enabled: false },
      throttle: {
        onRateLimit: never,
        onSecondaryRateLimit: never,
        global: new Bottleneck.Group({ maxConcurrent: limits.concurrency, minTime: Math.ceil(1000 / limits.requestsPerSecond) }),
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: limits.writeIntervalMs }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: limits.writeIntervalMs }),
      } as never,
      // Only the CLI prints: octokit's own warnings would go straight to the console.
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    this.octokit.hook.wrap('request', (request, params) => {
      const { method, url } = this.octokit.request.endpoint.parse(params);
      return this.withRetries(`${method} ${decodeURIComponent(new URL(url, this.apiUrl).pathname)}`, async () => request(params));
    });
  }

  /** Runs one call (a request, or a whole paginate); any failure becomes a GitHubApiError naming `operation`. */
  async call<T>(operation: string, fn: (octokit: Octokit) => Promise<T>): Promise<T> {
    try {
      return await fn(this.octokit);
    } catch (e) {
      throw this.error(operation, e);
    }
  }

  /** The pages of a paginate iterator, with failures as in call(). */
  async *pages<T>(operation: string, pages: AsyncIterable<T>): AsyncIterable<T> {
    try {
      for await (const page of pages) yield page;
    } catch (e) {
      throw this.error(operation, e);
    }
  }

  private async withRetries<T>(request: string, send: () => Promise<T>): Promise<T> {
    const { retries, minRetryDelayMs, maxRetryDelayMs } = this.limits;
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (e) {
        const f = classify(e);
        if (!retryable(f) || attempt > retries || (f.waitMs ?? 0) > MAX_RATE_LIMIT_WAIT_MS) {
          if (attempt > 1) (e as { attempts?: number }).attempts = attempt;
          throw e;
        }
        const waitMs = f.waitMs ?? Math.min(maxRetryDelayMs, minRetryDelayMs * 2 ** (attempt - 1));
        this.options.onRetry?.({
          request,
          reason: redactSecrets(f.status ? `HTTP ${f.status}: ${f.detail}` : f.detail, [this.options.token]),
          attempt,
          retries,
          waitMs,
        });
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  /** The one place an octokit or network error becomes a roster error. */
  private error(operation: string, e: unknown): GitHubApiError {
    if (e instanceof GitHubApiError) return e;
    const f = classify(e);
    const attempts = (e as { attempts?: number }).attempts ?? 1;
    const data = (e as { response?: { data?: { errors?: { message?: string; code?: string; field?: string }[] } } }).response?.data;
    const details = [f.detail, ...(data?.errors ?? []).map((x) => x.message ?? [x.field, x.code].filter(Boolean).join(' '))].filter(Boolean).join('; ');
    const tried = attempts > 1 ? `tried ${attempts} times; ` : '';
    const hint = this.hint(f);
    const message = `GitHub API: cannot ${operation}: ${f.status ? `HTTP ${f.status}: ` : ''}${details}${hint || tried ? ` (${tried}${hint})` : ''}`.replace(
      '; )',
      ')',
    );
    return new GitHubApiError(redactSecrets(message, [this.options.token]), f.status, f.failure, attempts);
  }

  private hint(f: Failure): string {
    const variable = this.options.hints?.apiUrlVariable ?? 'GITHUB_API_URL';
    if (f.failure !== 'http')
      return f.failure === 'timeout'
        ? `GitHub did not answer in time; run again later, or raise --request-timeout`
        : `cannot reach the GitHub API at ${this.apiUrl}; check ${variable} and the network`;
    if (f.status === 401) return 'GITHUB_TOKEN is missing, expired or not valid for this API';
    if (f.rateLimited) return 'rate limited by GitHub; run again later';
    if (f.status === 403) return this.options.hints?.forbidden ?? 'the token lacks a permission';
    if (f.status === 404) return this.options.hints?.notFound ?? 'not found: check the name and that the token can see it';
    if (f.status >= 500) return 'GitHub is failing; run again later';
    return '';
  }
}

const NETWORK: Record<string, { failure: GitHubFailure; what: string }> = {
  ECONNREFUSED: { failure: 'refused', what: 'connection refused' },
  ENOTFOUND: { failure: 'dns', what: 'DNS lookup failed' },
  EAI_AGAIN: { failure: 'dns', what: 'DNS lookup failed (temporary)' },
  ECONNRESET: { failure: 'network', what: 'connection reset' },
  EPIPE: { failure: 'network', what: 'connection closed' },
  ETIMEDOUT: { failure: 'timeout', what: 'connection timed out' },
  UND_ERR_CONNECT_TIMEOUT: { failure: 'timeout', what: 'connection timed out' },
  UND_ERR_SOCKET: { failure: 'network', what: 'connection closed by the server' },
};

/**
 * What an octokit error means. octokit reports a failed fetch as "status
 * 500" without a response: that is a network failure (refused, DNS, reset,
 * timed out), told apart by the causes it carries, never a GitHub 500.
 */
export function classify(e: unknown): Failure {
  const err = e as { status?: number; message?: string; response?: { status: number; headers?: Record<string, string | undefined>; data?: unknown } };
  if (err.response) {
    const status = err.response.status;
    const message = (err.response.data as { message?: string } | undefined)?.message ?? err.message ?? '';
    const headers = err.response.headers ?? {};
    const limited = status === 429 || (status === 403 && (/secondary rate limit/i.test(message) || headers['x-ratelimit-remaining'] === '0'));
    const waitMs = limited ? rateLimitWait(headers) : undefined;
    return { status, failure: 'http', detail: message || `HTTP ${status}`, ...(limited && { rateLimited: true }), ...(waitMs !== undefined && { waitMs }) };
  }
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    const { code, name, address, port, hostname } = c as { code?: string; name?: string; address?: string; port?: number; hostname?: string };
    if (name === 'TimeoutError') return { status: 0, failure: 'timeout', detail: 'no answer before the request timeout' };
    const known = code ? NETWORK[code] : undefined;
    if (known) {
      const where = hostname ?? (address ? `${address}${port ? `:${port}` : ''}` : '');
      return { status: 0, failure: known.failure, detail: `${known.what}${where ? ` ${known.failure === 'dns' ? 'for' : 'by'} ${where}` : ''}` };
    }
  }
  return { status: 0, failure: 'network', detail: err.message ?? String(e) };
}

/** Retry-After (seconds), else the primary limit's reset time, else nothing (backoff decides). */
function rateLimitWait(headers: Record<string, string | undefined>): number | undefined {
  const after = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(after)) return Math.max(0, after * 1000);
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1000 - Date.now() + 1000);
  return undefined;
}

function retryable(f: Failure): boolean {
  if (f.failure === 'http') return f.status >= 500 || f.rateLimited === true;
  // A name that does not resolve will not resolve on the next attempt either.
  return f.detail.startsWith('DNS lookup failed (temporary)') || f.failure !== 'dns';
}
