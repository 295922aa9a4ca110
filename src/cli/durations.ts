import { UsageError } from '../errors.ts';
import { durationMs, notADuration } from '../util/durations.ts';

/** A duration flag in milliseconds (util/durations.ts); a usage error naming the flag when it is not one. */
export function parseDuration(text: string, what = '--lock-timeout'): number {
  const ms = durationMs(text);
  if (ms === null) throw new UsageError(notADuration(what, text));
  return ms;
}
