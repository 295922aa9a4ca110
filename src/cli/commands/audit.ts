import { resolve } from 'node:path';
import { verifyChain } from '../../audit/chain.ts';
import { verifyTrailFile } from '../../audit/file.ts';
import { queryEvents } from '../../audit/query.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { renderEventsCsv, renderEventsJson, renderEventsText } from '../../render/audit.ts';
import { openProvider, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';
import { dateOption, readAuditSource } from './audit-source.ts';

export async function auditVerify(file: string | undefined, opts: GlobalOptions & { store?: boolean }, io: Io): Promise<number> {
  const path = resolve(io.cwd, file ?? opts.auditLog);
  const results: { what: string; ok: boolean; count: number; firstBad?: number; reason?: string }[] = [{ what: file ?? opts.auditLog, ...verifyTrailFile(path) }];
  if (opts.store) {
    const provider = await openProvider(opts, io);
    try {
      if (!provider.auditStore) throw new UsageError(`the ${provider.describe().name} provider has no audit store of its own; its trail is the JSON-lines file`);
      results.push({ what: `the ${provider.describe().name} audit store`, ...verifyChain(await provider.auditStore.events()) });
    } finally {
      await provider.close();
    }
  }
  let ok = true;
  for (const r of results) {
    if (r.ok) io.out(`${r.what}: OK, ${r.count} event(s), hash chain intact\n`);
    else {
      ok = false;
      io.out(`${r.what}: TAMPERED at event ${r.firstBad}: ${r.reason}\n`);
    }
  }
  return ok ? ExitCode.ok : ExitCode.error;
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
  const trail = await readAuditSource(opts, io);
  const events = queryEvents(trail.events, { ...(opts.user && { user: opts.user }), ...(opts.step && { step: opts.step }), ...(since && { since }), ...(until && { until }), ...(opts.result && { result: opts.result }) });
  io.out(opts.format === 'json' ? renderEventsJson(events) : opts.format === 'csv' ? renderEventsCsv(events) : renderEventsText(events));
  if (trail.intact) return ExitCode.ok;
  io.err(`Error: ${trail.source} does not verify (${trail.problem}); run roster audit verify\n`);
  return ExitCode.error;
}
