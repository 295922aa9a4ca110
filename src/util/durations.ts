import parseDurationText from 'parse-duration';

/**
 * Milliseconds in a duration: `500ms`, `30s`, `10m`, `1h30m`, `1.5h`,
 * `2 days` (the parse-duration package), or plain seconds (`30`); null when
 * the text is not a duration.
 */
export function durationMs(text: string): number | null {
  const t = text.trim();
  const ms = /^\d+(\.\d+)?$/.test(t) ? Number(t) * 1000 : parseDurationText(t);
  return ms === null || !Number.isFinite(ms) || ms < 0 ? null : ms;
}

/** What is wrong with a setting that is not a duration, naming the flag or variable. */
export const notADuration = (what: string, text: string): string => `${what} must be a duration such as 30s, 10m or 1h30m, got "${text}"`;
