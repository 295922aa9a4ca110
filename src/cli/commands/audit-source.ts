import { resolve } from 'node:path';
import { verifyChain } from '../../audit/chain.ts';
import { existsSync } from 'node:fs';
import { readTrail, tornReason, type TornTail } from '../../audit/file.ts';
import { isWellFormed, parseBound } from '../../audit/query.ts';
import type { AuditEvent } from '../../model/audit.ts';
import { UsageError } from '../../errors.ts';
import { openProvider, READ_ONLY, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';
import { defaultTrail } from '../store-location.ts';

export interface AuditSource {
  source: string;
  events: AuditEvent[];
  intact: boolean;
  problem?: string;
}

/** The audit trail to query: the JSON-lines file, or with --store the live store's audit table; its chain is checked on the way. */
export async function readAuditSource(opts: GlobalOptions & { store?: boolean }, io: Io): Promise<AuditSource> {
  const byDefault = defaultTrail(opts, io);
  let source = opts.auditLog ?? byDefault.shown;
  let events: AuditEvent[];
  let badLine: number | undefined;
  let torn: TornTail | undefined;
  if (opts.store) {
    const provider = await openProvider(opts, io, undefined, undefined, READ_ONLY);
    try {
      if (!provider.auditStore) throw new UsageError(`the ${provider.describe().name} provider has no audit store of its own; its trail is the JSON-lines file`);
      source = `the ${provider.describe().name} audit store`;
      events = await provider.auditStore.events();
    } finally {
      await provider.close();
    }
  } else {
    const path = opts.auditLog ? resolve(io.cwd, opts.auditLog) : byDefault.path;
    if (!existsSync(path)) return { source, events: [], intact: false, problem: 'no such file: there is no trail to read' };
    ({ events, badLine, torn } = readTrail(path));
  }
  const check = verifyChain(events);
  const usable = events.filter(isWellFormed);
  if (badLine !== undefined) return { source, events: usable, intact: false, problem: `line ${badLine} is not valid JSON` };
  if (check.ok && torn) return { source, events, intact: false, problem: tornReason(torn) };
  return check.ok ? { source, events, intact: true } : { source, events: usable, intact: false, problem: `event ${check.firstBad}: ${check.reason}` };
}

export function dateOption(flag: string, text: string | undefined, end: boolean): Date | undefined {
  if (text === undefined) return undefined;
  const d = parseBound(text, end);
  if (!d) throw new UsageError(`${flag} must be a date (YYYY-MM-DD) or an ISO time, got "${text}"`);
  return d;
}
