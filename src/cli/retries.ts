import type { RetryEvent } from '../http/github.ts';
import type { Io } from './io.ts';

/** `1.5s`, `2m 5s`: how long roster is about to wait. */
export function waitText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 100) / 10;
  if (s < 60) return `${s}s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}m${whole % 60 ? ` ${whole % 60}s` : ''}`;
}

/**
 * Every GitHub retry on stderr as it starts waiting: what is retried, why,
 * and for how long, so a run that seems stuck says what it waits for.
 * Always on (not behind --progress): a wait is never silent. Given the
 * run's progress io (progress.ts), it prints above the live line.
 */
export function retryReporter(io: Pick<Io, 'err'>): (event: RetryEvent) => void {
  return (e) => io.err(`GitHub: ${e.request} failed (${e.reason}); retry ${e.attempt} of ${e.retries} in ${waitText(e.waitMs)}\n`);
}
