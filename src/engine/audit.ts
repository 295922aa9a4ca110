import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { syncAuditLog } from '../apply/index.ts';
import { currentActor, currentCommit } from '../audit/actor.ts';
import { anchorsOfStore, checkAnchors, targetDigest, type Anchor } from '../audit/anchors.ts';
import { verifyChain, type VerifyResult } from '../audit/chain.ts';
import { compareTrails } from '../audit/compare.ts';
import { fileAuditStore, readTrail, repairTrail, tornTail, verifyTrailFile, type TornTail } from '../audit/file.ts';
import { openIntents } from '../audit/intents.ts';
import { UsageError } from '../errors.ts';
import { readAnchors } from '../history/notes.ts';
import type { AuditDraft, AuditEvent } from '../model/audit.ts';
import type { Provider } from '../model/live.ts';
import { declarationDir, type RunContext } from './context.ts';
import { defaultTrail } from './location.ts';
import type { RunObserver } from './observer.ts';
import { loadForRun, openLive, READ_ONLY, using } from './stores.ts';
import { gitDirOf, storeIdOf, trailOf } from './trail.ts';

/** One line of the verdict: what was checked, and whether it held. */
export interface Finding {
  ok: boolean;
  text: string;
}

const chainFinding = (what: string, r: VerifyResult): Finding =>
  r.ok
    ? { ok: true, text: `${what}: OK, ${r.count} event(s), hash chain intact` }
    : { ok: false, text: `${what}: TAMPERED at event ${r.firstBad}: ${r.reason}` };

interface StoreTrail {
  name: string;
  id: string;
  target: string;
  events: AuditEvent[];
}

/** The store's own audit table, read-only; a provider with none has its trail in the file only. */
async function storeTrail(ctx: RunContext, named: string | undefined): Promise<{ store: StoreTrail; shown: string | undefined }> {
  return using(await openLive(ctx, READ_ONLY), async (provider) => {
    if (!provider.auditStore) throw new UsageError(`the ${provider.describe().name} provider has no audit store of its own; its trail is the JSON-lines file`);
    const shown = named ? undefined : (await trailOf(ctx, provider)).shown;
    return {
      shown,
      store: {
        name: provider.describe().name,
        id: await storeIdOf(provider),
        target: targetDigest(provider.describe().identity),
        events: await provider.auditStore.events(),
      },
    };
  });
}

/**
 * `roster audit verify`: the trail file's chain; with `store`, the store's
 * chain, that the two hold the same events up to the same head, and that
 * the file is this store's; and, in a git repository, both against the
 * heads published in refs/notes/roster. A missing or short trail fails.
 */
export async function verifyAudit(ctx: RunContext, input: { file?: string; store?: boolean }): Promise<Finding[]> {
  const named = input.file ?? ctx.auditLog;
  const findings: Finding[] = [];
  let shown = named ?? defaultTrail(ctx).shown;
  let store: StoreTrail | undefined;
  if (input.store) {
    const read = await storeTrail(ctx, named);
    store = read.store;
    shown = read.shown ?? shown;
  }
  const path = resolve(ctx.cwd, shown);
  findings.push(chainFinding(shown, verifyTrailFile(path)));
  const fileEvents = existsSync(path) ? readTrail(path).events : [];
  const fileStore = fileEvents.at(-1)?.store;
  if (store) {
    findings.push(chainFinding(`the ${store.name} audit store`, verifyChain(store.events)));
    if (fileStore !== undefined && fileStore !== store.id)
      findings.push({ ok: false, text: `${shown}: belongs to another store (${fileStore}), not to this one (${store.id})` });
    else {
      const divergence = compareTrails(fileEvents, store.events);
      findings.push(
        divergence
          ? { ok: false, text: `${shown} and the store: DIFFER from event ${divergence.seq}: ${divergence.reason}` }
          : { ok: true, text: `${shown} and the store: OK, the same ${store.events.length} event(s), the same head` },
      );
    }
  }
  const anchors = readAnchors(gitDirOf(ctx));
  const storeId = store?.id ?? fileStore;
  if (anchors !== null && storeId !== undefined) {
    // With --store the target is known: a store whose id has no anchors where its target has some is a mismatch.
    const { own, mismatch } = store
      ? anchorsOfStore(anchors, store.id, store.target)
      : { own: anchors.filter((a) => a.store === storeId), mismatch: undefined };
    if (mismatch) findings.push({ ok: false, text: `the store against the anchors in refs/notes/roster: MISMATCH: ${mismatch.message}` });
    else findings.push(...anchorFindings(own, shown, fileEvents, store?.events));
  }
  // Changes announced to a live system with no event yet: an apply was interrupted (or is still running).
  for (const open of openIntents(path, fileEvents)) {
    findings.push({
      ok: false,
      text: `${relative(ctx.cwd, open.journal)}: INCOMPLETE, ${open.intents.length} change(s) sent or about to be sent to ${open.target} have no event: an apply was interrupted (or is still running); the next apply records those that were made`,
    });
  }
  return findings;
}

/** The file (and the store) against the heads published for this store. */
function anchorFindings(anchors: Anchor[], shown: string, fileEvents: AuditEvent[], storeEvents: AuditEvent[] | undefined): Finding[] {
  if (anchors.length === 0) return [{ ok: true, text: 'anchors in refs/notes/roster: none published for this store yet' }];
  const out: Finding[] = [];
  for (const [what, events] of [[shown, fileEvents], ...(storeEvents ? [['the store', storeEvents] as const] : [])] as const) {
    const check = checkAnchors(events, anchors);
    if (check.broken)
      out.push({ ok: false, text: `${what} against the anchors in refs/notes/roster: TAMPERED at event ${check.broken.anchor.seq}: ${check.broken.reason}` });
    else
      out.push({
        ok: true,
        text: `${what} against the anchors in refs/notes/roster: OK, ${check.checked} published head(s) match (newest: event ${check.newest!.seq}, commit ${check.newest!.commit.slice(0, 7)})`,
      });
  }
  return out;
}

/** What `roster audit repair` did: nothing (`repaired` absent), or what it cut after which event, recorded as which. */
export interface RepairRun {
  /** The trail, as shown. */
  shown: string;
  repaired?: { torn: TornTail; after: number; event: number };
}

/**
 * `roster audit repair`: cuts a torn last line (a write that stopped
 * half-way) off the trail, under the apply lock, and records that it did
 * as an `audit.repair` event, with the length and hash of what was cut. The
 * event goes where apply would write it: the store's audit table (then
 * copied to the file), or the file.
 */
export async function repairAudit(ctx: RunContext, now: Date, observer: RunObserver = {}): Promise<RepairRun> {
  const declaration = loadForRun(ctx, now, observer);
  return using(await openLive(ctx, { declaration, observer }), async (provider) => {
    const release = await provider.lock(ctx.lockTimeoutMs());
    try {
      return await repairUnderLock(provider, ctx);
    } finally {
      await release();
    }
  });
}

async function repairUnderLock(provider: Provider, ctx: RunContext): Promise<RepairRun> {
  const trail = await trailOf(ctx, provider);
  if (!tornTail(trail.path)) return { shown: trail.shown };
  const after = readTrail(trail.path).events.at(-1)?.seq ?? 0;
  const torn = repairTrail(trail.path)!;
  const dir = declarationDir(ctx);
  const draft: AuditDraft = {
    at: new Date().toISOString(),
    step: 'audit.repair',
    key: `trail:${trail.shown}`,
    before: { afterEvent: after, bytes: torn.bytes, sha256: torn.hash },
    after: torn.complete ? { completed: true } : { cut: true },
    reason: torn.complete
      ? 'the last line was whole but lacked its newline (a write stopped half-way); the newline was added'
      : 'the last line was torn (a write stopped half-way); it was cut',
    source: trail.shown,
    actor: currentActor(dir, ctx.env),
    commit: currentCommit(dir),
    store: trail.store,
    result: 'applied',
  };
  const [event] = provider.auditStore ? await provider.auditStore.append([draft]) : await fileAuditStore(trail.path).append([draft]);
  if (provider.auditStore) await syncAuditLog(provider.auditStore, trail.path);
  return { shown: trail.shown, repaired: { torn, after, event: event!.seq } };
}
