import { UsageError } from '../errors.ts';

/** ISO 8601 as RFC 3339 profiles it: a date, or a date and time with its offset (a time without one would depend on the machine's zone). */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** `--now`: the instant to plan for; absent, the clock. */
export function parseNow(now: string | undefined): Date {
  if (now === undefined) return new Date();
  const m = ISO_INSTANT.exec(now);
  const d = new Date(now);
  // Date accepts "1" as the year 2001 and rolls 2026-02-31 over into March: the text must match and read back the same.
  if (!m || Number.isNaN(d.getTime()) || !sameCalendarDay(m, d, now))
    throw new UsageError(`--now must be an ISO 8601 date (2026-11-23) or date and time with an offset (2026-11-23T12:00:00Z), got "${now}"`);
  return d;
}

/** The day the text names exists (no 2026-02-31): read back in the text's own offset. */
function sameCalendarDay(m: RegExpExecArray, d: Date, text: string): boolean {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(text);
  const shift = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const local = new Date(d.getTime() + shift * 60_000).toISOString();
  return local.slice(0, 10) === `${m[1]}-${m[2]}-${m[3]}` && (m[4] === undefined || local.slice(11, 16) === `${m[4]}:${m[5]}`);
}
