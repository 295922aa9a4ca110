import parseDurationText from 'parse-duration';
import { UsageError } from '../errors.ts';

/**
 * A duration in milliseconds: `500ms`, `30s`, `10m`, `1h30m`, `1.5h`, `2 days`
 * (the parse-duration package), or plain seconds (`30`).
 */
export function parseDuration(text: string, what = '--lock-timeout'): number {
  const t = text.trim();
  const ms = /^\d+(\.\d+)?$/.test(t) ? Number(t) * 1000 : parseDurationText(t);
  if (ms === null || !Number.isFinite(ms) || ms < 0) throw new UsageError(`${what} must be a duration such as 30s, 10m or 1h30m, got "${text}"`);
  return ms;
}
