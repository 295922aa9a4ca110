import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { verifyChain } from '../audit/chain.ts';
import { readTrail, tornReason, type TornTail } from '../audit/file.ts';
import { isWellFormed, queryEvents, type AuditQuery } from '../audit/query.ts';
import { UsageError } from '../errors.ts';
import type { AuditEvent } from '../model/audit.ts';
import type { RunContext } from './context.ts';
import { defaultTrail } from './location.ts';
import { openLive, READ_ONLY, using } from './stores.ts';

export interface AuditSource {
  source: string;
  events: AuditEvent[];
  intact: boolean;
  problem?: string;
}

/** The audit trail to query: the JSON-lines file, or with `store` the live store's audit table; its chain is checked on the way. */
export async function readAuditSource(ctx: RunContext, store?: boolean): Promise<AuditSource> {
  const byDefault = defaultTrail(ctx);
  let source = ctx.auditLog ?? byDefault.shown;
  let events: AuditEvent[];
  let badLine: number | undefined;
  let torn: TornTail | undefined;
  if (store) {
    ({ source, events } = await using(await openLive(ctx, READ_ONLY), async (provider) => {
      if (!provider.auditStore)
        throw new UsageError(`the ${provider.describe().name} provider has no audit store of its own; its trail is the JSON-lines file`);
      return { source: `the ${provider.describe().name} audit store`, events: await provider.auditStore.events() };
    }));
  } else {
    const path = ctx.auditLog ? resolve(ctx.cwd, ctx.auditLog) : byDefault.path;
    if (!existsSync(path)) return { source, events: [], intact: false, problem: 'no such file: there is no trail to read' };
    ({ events, badLine, torn } = readTrail(path));
  }
  const check = verifyChain(events);
  const usable = events.filter(isWellFormed);
  if (badLine !== undefined) return { source, events: usable, intact: false, problem: `line ${badLine} is not valid JSON` };
  if (check.ok && torn) return { source, events, intact: false, problem: tornReason(torn) };
  return check.ok ? { source, events, intact: true } : { source, events: usable, intact: false, problem: `event ${check.firstBad}: ${check.reason}` };
}

/** `roster audit list`: the events matching the query, from a source that may not verify (then `intact` is false). */
export async function listAudit(ctx: RunContext, query: AuditQuery, store?: boolean): Promise<AuditSource> {
  const trail = await readAuditSource(ctx, store);
  return { ...trail, events: queryEvents(trail.events, query) };
}
