import { listAudit } from '../../engine/audit-source.ts';
import { repairAudit, verifyAudit } from '../../engine/audit.ts';
import { ExitCode } from '../../errors.ts';
import { renderEventsCsv, renderEventsJson, renderEventsText } from '../../render/audit.ts';
import { showInvisibleLines } from '../../util/strings.ts';
import type { Io } from '../io.ts';
import { parseNow } from '../now.ts';
import type { GlobalOptions } from '../options.ts';
import { printingObserver, runContext } from '../run-context.ts';
import { dateOption } from './dates.ts';

/** The verdict, one line per check (engine/audit.ts); fails when one did not hold. */
export async function auditVerify(file: string | undefined, opts: GlobalOptions & { store?: boolean }, io: Io): Promise<number> {
  const findings = await verifyAudit(runContext(opts, io), { ...(file !== undefined && { file }), store: Boolean(opts.store) });
  for (const f of findings) io.out(showInvisibleLines(f.text) + '\n');
  return findings.every((f) => f.ok) ? ExitCode.ok : ExitCode.error;
}

/** Ends a torn trail (engine/audit.ts) and says what was cut, and the event that records it. */
export async function auditRepair(opts: GlobalOptions, io: Io): Promise<number> {
  const { shown, repaired } = await repairAudit(runContext(opts, io), parseNow(opts.now), printingObserver(io));
  if (!repaired) {
    io.out(`${shown}: nothing to repair (the last line is whole)\n`);
    return ExitCode.ok;
  }
  const { torn, after, event } = repaired;
  const what = torn.complete
    ? `completed a last line of ${torn.bytes} byte(s) that lacked its newline`
    : `cut a torn last line of ${torn.bytes} byte(s) (${torn.hash})`;
  io.out(`${shown}: ${what} after event ${after}; recorded as event ${event} (audit.repair)\n`);
  return ExitCode.ok;
}

export interface AuditListOptions extends GlobalOptions {
  user?: string;
  step?: string;
  since?: string;
  until?: string;
  result?: 'applied' | 'failed';
  format: string;
  store?: boolean;
}

/** Events matching the filters, as text, JSON or CSV. Fails (after printing) when the trail's hash chain is broken. */
export async function auditList(opts: AuditListOptions, io: Io): Promise<number> {
  const since = dateOption('--since', opts.since, false);
  const until = dateOption('--until', opts.until, true);
  const query = {
    ...(opts.user && { user: opts.user }),
    ...(opts.step && { step: opts.step }),
    ...(since && { since }),
    ...(until && { until }),
    ...(opts.result && { result: opts.result }),
  };
  const trail = await listAudit(runContext(opts, io), query, opts.store);
  const events = trail.events;
  io.out(opts.format === 'json' ? renderEventsJson(events) : opts.format === 'csv' ? renderEventsCsv(events) : renderEventsText(events));
  if (trail.intact) return ExitCode.ok;
  io.err(`Error: ${trail.source} does not verify (${trail.problem}); run roster audit verify\n`);
  return ExitCode.error;
}
