import { parseBound } from '../../audit/query.ts';
import { UsageError } from '../../errors.ts';

/** `--since` / `--until`: a day (YYYY-MM-DD; `end` takes its last instant) or an ISO time. */
export function dateOption(flag: string, text: string | undefined, end: boolean): Date | undefined {
  if (text === undefined) return undefined;
  const d = parseBound(text, end);
  if (!d) throw new UsageError(`${flag} must be a date (YYYY-MM-DD) or an ISO time, got "${text}"`);
  return d;
}
