import pLimit, { type LimitFunction } from 'p-limit';
import pRetry from 'p-retry';
import pThrottle from 'p-throttle';
import { ProviderError } from '../errors.ts';
import { redactSecrets } from './redact.ts';

export interface HttpLimits {
  /** Requests in flight at once. */
  concurrency: number;
  /** Ceiling on requests started per second. */
  requestsPerSecond: number;
  /** One request (one attempt) may take this long. */
  timeoutMs: number;
  /** Attempts after the first, for 429, 5xx, timeouts and dropped connections. */
  retries: number;
  /** First backoff; it doubles per attempt, with jitter, up to maxRetryDelayMs. */
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  concurrency: 4,
  requestsPerSecond: 20,
  timeoutMs: 30_000,
  retries: 5,
  minRetryDelayMs: 500,
  maxRetryDelayMs: 30_000,
};

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** An HTTP answer roster did not expect; `status` 0 means no answer at all. */
export class HttpError extends ProviderError {
  /** Attempts made; after more than one, an earlier attempt may have been processed with its answer lost. */
  attempts = 1;
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
    retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message, retryable);
  }
}

/** One retry about to happen, for whoever shows progress: what is retried, why, and how long roster waits first. */
export interface RetryEvent {
  /** e.g. `scim PATCH /Users/4`. */
  what: string;
  /** What went wrong with the attempt, e.g. `503 Service Unavailable` (never the token). */
  reason: string;
  /** The attempt that failed (1 = the first) and the attempts still allowed after it. */
  attempt: number;
  retriesLeft: number;
  waitMs: number;
  /** The service asked for the wait (Retry-After) rather than roster's own backoff. */
  retryAfter: boolean;
}

/**
 * The wait before retry `attempt` (1-based): exponential backoff with
 * jitter, capped; a Retry-After the service sent is a floor.
 */
export function retryDelay(
  attempt: number,
  limits: Pick<HttpLimits, 'minRetryDelayMs' | 'maxRetryDelayMs'>,
  retryAfterMs?: number,
  random = Math.random,
): number {
  const backoff = Math.min(Math.round((1 + random()) * limits.minRetryDelayMs * 2 ** (attempt - 1)), limits.maxRetryDelayMs);
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** Seconds or an HTTP date, as RFC 9110 allows; capped so a hostile server cannot park the run. */
export function parseRetryAfter(value: string | null, maxMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : new Date(value).getTime() - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), maxMs) : undefined;
}

/** What a failed connection means, in words: a refused connection is not a server error (and has no status). */
const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused by {host}: is the service running and the URL right?',
  ENOTFOUND: 'host {hostname} not found: check the URL',
  EAI_AGAIN: 'looking up host {hostname} failed (DNS)',
  ECONNRESET: 'connection reset by {host} before it answered',
  UND_ERR_SOCKET: 'connection closed by {host} before it answered',
  EHOSTUNREACH: 'host {host} unreachable',
  ENETUNREACH: 'network unreachable for {host}',
  ETIMEDOUT: 'connecting to {host} timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connecting to {host} timed out',
  CERT_HAS_EXPIRED: 'the TLS certificate of {host} has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the TLS certificate of {host} is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the TLS certificate chain of {host} is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the TLS certificate of {host} cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the TLS certificate of {host} is for another host name',
};

export function networkFailure(url: string, code: string | undefined, message: string): string {
  let host = '';
  let hostname = '';
  try {
    ({ host, hostname } = new URL(url));
  } catch {
    // The URL was fetched, so it parses; keep the generic text if not.
  }
  const known = code ? NETWORK_FAILURES[code] : undefined;
  return known ? known.replaceAll('{hostname}', hostname).replaceAll('{host}', host) : `connection to ${host} failed (${code ?? message}), no answer`;
}

/**
 * JSON over HTTP for one service: a bearer token that never leaves the
 * Authorization header, bounded concurrency, a requests-per-second ceiling,
 * a timeout per attempt, and retries with exponential backoff and jitter on
 * 429, 5xx, timeouts and dropped connections, waiting at least as long as
 * Retry-After says. Every failure becomes an HttpError without the token.
 */
export class HttpClient {
  private readonly limit: LimitFunction;
  private readonly throttled: <T>(fn: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly service: string,
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly limits: HttpLimits = DEFAULT_LIMITS,
    private readonly contentType = 'application/json',
    /** Told of each retry before its wait starts (the CLI prints it). */
    private readonly onRetry?: (event: RetryEvent) => void,
  ) {
    this.limit = pLimit(limits.concurrency);
    // Spread over tenths of a second rather than bursting a whole second's worth at once.
    const rps = limits.requestsPerSecond;
    const throttle = rps >= 10 ? pThrottle({ limit: Math.round(rps / 10), interval: 100 }) : pThrottle({ limit: 1, interval: Math.ceil(1000 / rps) });
    const run = throttle(<T>(fn: () => Promise<T>) => fn());
    this.throttled = run as <T>(fn: () => Promise<T>) => Promise<T>;
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse<T> & { attempts: number }> {
    let attempts = 0;
    const url = this.baseUrl.replace(/\/$/, '') + path;
    const what = `${this.service} ${method} ${path}`;
    const response = await pRetry(() => this.limit(() => this.throttled(() => (attempts++, this.attempt<T>(method, url, what, body, headers)))), {
      retries: this.limits.retries,
      // The wait happens in onFailedAttempt, where it is known and reported: p-retry adds none.
      minTimeout: 0,
      maxTimeout: 0,
      shouldRetry: ({ error }) => error instanceof HttpError && error.retryable,
      onFailedAttempt: async ({ error, retriesLeft, attemptNumber }) => {
        if (!(error instanceof HttpError)) return;
        error.attempts = attemptNumber;
        if (retriesLeft <= 0 || !error.retryable) return;
        const waitMs = retryDelay(attemptNumber, this.limits, error.retryAfterMs);
        const reason = error.message.startsWith(`${what}: `) ? error.message.slice(what.length + 2) : error.message;
        this.onRetry?.({
          what,
          reason,
          attempt: attemptNumber,
          retriesLeft,
          waitMs,
          retryAfter: error.retryAfterMs !== undefined && error.retryAfterMs >= waitMs,
        });
        await new Promise((r) => setTimeout(r, waitMs));
      },
    });
    return { ...response, attempts };
  }

  private async attempt<T>(method: string, url: string, what: string, body: unknown, headers: Record<string, string>): Promise<HttpResponse<T>> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: `${this.contentType}, application/json`,
          authorization: `Bearer ${this.token}`,
          ...(body !== undefined && { 'content-type': this.contentType }),
          ...headers,
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.limits.timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const reason =
        err.name === 'TimeoutError' ? `no answer within ${this.limits.timeoutMs} ms` : networkFailure(url, err.cause?.code, err.cause?.message ?? err.message);
      throw new HttpError(this.scrub(`${what}: ${reason}`), 0, null, true);
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (res.ok || res.status === 304) return { status: res.status, headers: res.headers, body: parsed as T };
    const retryable = res.status === 429 || res.status >= 500;
    const detail =
      typeof parsed === 'object' && parsed !== null
        ? ((parsed as { detail?: string; message?: string }).detail ?? (parsed as { message?: string }).message)
        : undefined;
    throw new HttpError(
      this.scrub(`${what}: ${res.status} ${res.statusText}${detail ? `: ${detail}` : ''}`),
      res.status,
      parsed,
      retryable,
      parseRetryAfter(res.headers.get('retry-after'), this.limits.maxRetryDelayMs),
    );
  }

  /** A server may echo the request back: the token never reaches a message. */
  private scrub(message: string): string {
    return redactSecrets(message, [this.token]);
  }
}
