import { runHistory } from '../../engine/history.ts';
import { ExitCode } from '../../errors.ts';
import { renderHistoryJson, renderHistoryText } from '../../render/history.ts';
import type { Io } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { runContext } from '../run-context.ts';
import { dateOption } from './dates.ts';

export async function history(email: string, opts: GlobalOptions & { since?: string; format: string; store?: boolean }, io: Io): Promise<number> {
  const since = dateOption('--since', opts.since, false);
  const report = await runHistory(runContext(opts, io), email, { ...(since && { since }), store: Boolean(opts.store) });
  io.out(opts.format === 'json' ? renderHistoryJson(report) : renderHistoryText(report));
  // A timeline read from a tampered trail is still shown, but the run fails.
  return report.trail.intact ? ExitCode.ok : ExitCode.error;
}
