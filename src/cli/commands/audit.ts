import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { currentActor, currentCommit } from '../../audit/actor.ts';
import { anchorsOfStore, checkAnchors, targetDigest, type Anchor } from '../../audit/anchors.ts';
import { verifyChain, type VerifyResult } from '../../audit/chain.ts';
import { compareTrails } from '../../audit/compare.ts';
import { fileAuditStore, readTrail, repairTrail, tornTail, verifyTrailFile } from '../../audit/file.ts';
import { openIntents } from '../../audit/intents.ts';
import { queryEvents } from '../../audit/query.ts';
import type { AuditDraft, AuditEvent } from '../../model/audit.ts';
import { syncAuditLog } from '../../apply/index.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { readAnchors } from '../../history/notes.ts';
import type { Provider } from '../../model/live.ts';
import { renderEventsCsv, renderEventsJson, renderEventsText } from '../../render/audit.ts';
import { loadOrFail, openProvider, parseDuration, parseNow, READ_ONLY, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';
import { dateOption, readAuditSource } from './audit-source.ts';
import { gitDirOf, storeIdOf, trailOf } from './audit-trail.ts';
import { showInvisibleLines } from '../../util/strings.ts';
import { defaultTrail } from '../store-location.ts';

/** One line of the verdict: what was checked, and whether it held. */
interface Finding {
  ok: boolean;
  text: string;
}

const chainFinding = (what: string, r: VerifyResult): Finding =>
  r.ok ? { ok: true, text: `${what}: OK, ${r.count} event(s), hash chain intact` } : { ok: false, text: `${what}: TAMPERED at event ${r.firstBad}: ${r.reason}` };

/**
 * Checks the trail file's chain; with --store, the store's chain, that the
 * two hold the same events up to the same head, and that the file is this
 * store's; and, in a git repository, both against the heads published in
 * refs/notes/roster. A missing or short trail fails.
 */
export async function auditVerify(file: string | undefined, opts: GlobalOptions & { store?: boolean }, io: Io): Promise<number> {
  const named = file ?? opts.auditLog;
  const findings: Finding[] = [];
  let shown = named ?? defaultTrail(opts, io).shown;
  let store: { name: string; id: string; target: string; events: AuditEvent[] } | undefined;
  if (opts.store) {
    const provider = await openProvider(opts, io, undefined, undefined, READ_ONLY);
    try {
      if (!provider.auditStore) throw new UsageError(`the ${provider.describe().name} provider has no audit store of its own; its trail is the JSON-lines file`);
      if (!named) shown = (await trailOf(opts, io, provider)).shown;
      store = { name: provider.describe().name, id: await storeIdOf(provider), target: targetDigest(provider.describe().identity), events: await provider.auditStore.events() };
    } finally {
      await provider.close();
    }
  }
  const path = resolve(io.cwd, shown);
  findings.push(chainFinding(shown, verifyTrailFile(path)));
  const fileEvents = existsSync(path) ? readTrail(path).events : [];
  const fileStore = fileEvents.at(-1)?.store;
  if (store) {
    findings.push(chainFinding(`the ${store.name} audit store`, verifyChain(store.events)));
    if (fileStore !== undefined && fileStore !== store.id) findings.push({ ok: false, text: `${shown}: belongs to another store (${fileStore}), not to this one (${store.id})` });
    else {
      const divergence = compareTrails(fileEvents, store.events);
      findings.push(divergence ? { ok: false, text: `${shown} and the store: DIFFER from event ${divergence.seq}: ${divergence.reason}` } : { ok: true, text: `${shown} and the store: OK, the same ${store.events.length} event(s), the same head` });
    }
  }
  const anchors = readAnchors(gitDirOf(opts, io));
  const storeId = store?.id ?? fileStore;
  if (anchors !== null && storeId !== undefined) {
    // With --store the target is known: a store whose id has no anchors where its target has some is a mismatch.
    const { own, mismatch } = store ? anchorsOfStore(anchors, store.id, store.target) : { own: anchors.filter((a) => a.store === storeId), mismatch: undefined };
    if (mismatch) findings.push({ ok: false, text: `the store against the anchors in refs/notes/roster: MISMATCH: ${mismatch.message}` });
    else findings.push(...anchorFindings(own, shown, fileEvents, store?.events));
  }
  // Changes announced to a live system with no event yet: an apply was interrupted (or is still running).
  for (const open of openIntents(path, fileEvents)) {
    findings.push({ ok: false, text: `${relative(io.cwd, open.journal)}: INCOMPLETE, ${open.intents.length} change(s) sent or about to be sent to ${open.target} have no event: an apply was interrupted (or is still running); the next apply records those that were made` });
  }
  for (const f of findings) io.out(showInvisibleLines(f.text) + '\n');
  return findings.every((f) => f.ok) ? ExitCode.ok : ExitCode.error;
}

/** The file (and the store) against the heads published for this store. */
function anchorFindings(anchors: Anchor[], shown: string, fileEvents: AuditEvent[], storeEvents: AuditEvent[] | undefined): Finding[] {
  if (anchors.length === 0) return [{ ok: true, text: 'anchors in refs/notes/roster: none published for this store yet' }];
  const out: Finding[] = [];
  for (const [what, events] of [[shown, fileEvents], ...(storeEvents ? [['the store', storeEvents] as const] : [])] as const) {
    const check = checkAnchors(events, anchors);
    if (check.broken) out.push({ ok: false, text: `${what} against the anchors in refs/notes/roster: TAMPERED at event ${check.broken.anchor.seq}: ${check.broken.reason}` });
    else out.push({ ok: true, text: `${what} against the anchors in refs/notes/roster: OK, ${check.checked} published head(s) match (newest: event ${check.newest!.seq}, commit ${check.newest!.commit.slice(0, 7)})` });
  }
  return out;
}

/**
 * Cuts a torn last line (a write that stopped half-way) off the trail, and
 * records that it did as an `audit.repair` event, with the length and hash
 * of what was cut. The event goes where apply would write it: the store's
 * audit table (then copied to the file), or the file.
 */
export async function auditRepair(opts: GlobalOptions, io: Io): Promise<number> {
  const now = parseNow(opts.now);
  const declaration = loadOrFail(opts, io, now);
  const provider = await openProvider(opts, io, declaration);
  try {
    const release = await provider.lock(parseDuration(opts.lockTimeout));
    try {
      return await repairUnderLock(provider, opts, io);
    } finally {
      await release();
    }
  } finally {
    await provider.close();
  }
}

async function repairUnderLock(provider: Provider, opts: GlobalOptions, io: Io): Promise<number> {
  const trail = await trailOf(opts, io, provider);
  if (!tornTail(trail.path)) {
    io.out(`${trail.shown}: nothing to repair (the last line is whole)\n`);
    return ExitCode.ok;
  }
  const after = readTrail(trail.path).events.at(-1)?.seq ?? 0;
  const torn = repairTrail(trail.path)!;
  const dir = resolve(io.cwd, opts.dir);
  const draft: AuditDraft = {
    at: new Date().toISOString(),
    step: 'audit.repair',
    key: `trail:${trail.shown}`,
    before: { afterEvent: after, bytes: torn.bytes, sha256: torn.hash },
    after: torn.complete ? { completed: true } : { cut: true },
    reason: torn.complete ? 'the last line was whole but lacked its newline (a write stopped half-way); the newline was added' : 'the last line was torn (a write stopped half-way); it was cut',
    source: trail.shown,
    actor: currentActor(dir, io.env),
    commit: currentCommit(dir),
    store: trail.store,
    result: 'applied',
  };
  const [event] = provider.auditStore ? await provider.auditStore.append([draft]) : await fileAuditStore(trail.path).append([draft]);
  if (provider.auditStore) await syncAuditLog(provider.auditStore, trail.path);
  const what = torn.complete ? `completed a last line of ${torn.bytes} byte(s) that lacked its newline` : `cut a torn last line of ${torn.bytes} byte(s) (${torn.hash})`;
  io.out(`${trail.shown}: ${what} after event ${after}; recorded as event ${event!.seq} (audit.repair)\n`);
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
  const trail = await readAuditSource(opts, io);
  const events = queryEvents(trail.events, { ...(opts.user && { user: opts.user }), ...(opts.step && { step: opts.step }), ...(since && { since }), ...(until && { until }), ...(opts.result && { result: opts.result }) });
  io.out(opts.format === 'json' ? renderEventsJson(events) : opts.format === 'csv' ? renderEventsCsv(events) : renderEventsText(events));
  if (trail.intact) return ExitCode.ok;
  io.err(`Error: ${trail.source} does not verify (${trail.problem}); run roster audit verify\n`);
  return ExitCode.error;
}
