import { appendFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { anchorLine, anchorsOfStore, targetDigest, type Anchor } from '../audit/anchors.ts';
import { lastTrailEvent, readTrail, tornReason, tornTail } from '../audit/file.ts';
import type { AuditEvent } from '../model/audit.ts';
import { TrailError } from '../errors.ts';
import { GitRepository } from '../git/repository.ts';
import { appendAnchorNote } from '../history/notes.ts';
import type { Provider } from '../model/live.ts';
import { sha256 } from '../util/canonical.ts';
import { declarationDir, type RunContext } from './context.ts';
import { defaultTrail } from './location.ts';

export interface Trail {
  /** Absolute. */
  path: string;
  /** As the person named it, or relative to the working dir. */
  shown: string;
  /** The id of the store it belongs to. */
  store: string;
  /** Digest of where the store lives (targetDigest): anchors carry it. */
  target: string;
  /** --audit-log named it. */
  explicit: boolean;
}

/** The store's own id; a provider without an audit store is named by where it points. */
export async function storeIdOf(provider: Provider): Promise<string> {
  const id = await provider.auditStore?.id?.();
  if (id) return id;
  const info = provider.describe();
  return `${info.name}-${sha256(info.target).slice('sha256:'.length, 'sha256:'.length + 16)}`;
}

/**
 * The trail of this store: --audit-log when given; else .roster/audit.jsonl
 * (at the project root)
 * when that file is this store's (or new); else a file of the store's own,
 * .roster/audit-<store id>.jsonl, so that two stores used from one folder
 * never write into one trail.
 */
export async function trailOf(ctx: Pick<RunContext, 'cwd' | 'dir' | 'auditLog'>, provider: Provider): Promise<Trail> {
  const store = await storeIdOf(provider);
  const target = targetDigest(provider.describe().identity);
  if (ctx.auditLog) return { path: resolve(ctx.cwd, ctx.auditLog), shown: ctx.auditLog, store, target, explicit: true };
  const first = defaultTrail(ctx);
  if ((await ownerOf(first.path, provider)) !== 'other') return { ...first, store, target, explicit: false };
  return { ...defaultTrail(ctx, `audit-${store.replace(/[^A-Za-z0-9-]/g, '_')}.jsonl`), store, target, explicit: false };
}

/**
 * Whose trail a file is: events name their store; a trail written before
 * they did is this store's when its last event is the store's event of the
 * same number. A provider with no store of its own cannot tell such a trail apart.
 */
async function ownerOf(path: string, provider: Provider): Promise<'this' | 'other' | 'none'> {
  const last = lastTrailEvent(path);
  if (!last) return 'none';
  const id = await storeIdOf(provider);
  if (last.store !== undefined) return last.store === id ? 'this' : 'other';
  if (!provider.auditStore) return 'this';
  const [same] = await provider.auditStore.events(last.seq - 1);
  return same?.seq === last.seq && same.hash === last.hash ? 'this' : 'other';
}

const repairCommand = (t: Trail) => `roster audit repair${t.explicit ? ` --audit-log ${t.shown}` : ''}`;

/**
 * Before an apply writes anything: the trail must end cleanly, belong to
 * this store and, for a store with its own audit table, agree with it at
 * the file's head; and the store must hold the newest head published for
 * it. Each refusal names the fix.
 */
export async function checkTrailBeforeApply(trail: Trail, provider: Provider, anchors: Anchor[]): Promise<void> {
  const torn = tornTail(trail.path);
  if (torn) throw new TrailError(`the audit trail ${trail.shown} cannot be continued: ${tornReason(torn)}. Run \`${repairCommand(trail)}\`, then apply again`);
  const last = lastTrailEvent(trail.path);
  if (last) await checkFileHead(trail, provider, last);
  await checkNewestAnchor(trail, provider, anchors);
}

/** The file's last event is this store's, and (for a store with its own audit table) the store's event of that number. */
async function checkFileHead(trail: Trail, provider: Provider, last: AuditEvent): Promise<void> {
  if (last.store !== undefined && last.store !== trail.store) {
    throw new TrailError(
      `the audit trail ${trail.shown} belongs to another store (${last.store}); this run's store is ${trail.store}. Omit --audit-log (each store has a trail of its own) or name another file`,
    );
  }
  if (!provider.auditStore) return;
  const [same] = await provider.auditStore.events(last.seq - 1);
  if (same?.seq === last.seq && same.hash === last.hash) return;
  const why = same?.seq === last.seq ? `its event ${last.seq} is not the store's event ${last.seq}` : `it holds event ${last.seq}, which the store does not`;
  throw new TrailError(
    `the audit trail ${trail.shown} does not match the store (${why}): one of them was changed. Nothing was applied; run \`roster audit verify --store${trail.explicit ? ` ${trail.shown}` : ''}\` to see which`,
  );
}

/**
 * The store must still hold the newest head published for it: a store
 * rewritten (or cut) below that head, even with every hash recomputed, has
 * another hash there. Checking the newest anchor is enough, as each hash
 * covers every event before it. The trail file, in CI a fresh copy of the
 * store, cannot tell. A store with no anchors under its id on a target
 * that has some under another is refused too: otherwise rewriting the id
 * would hide every published head, and this apply would publish new ones.
 */
async function checkNewestAnchor(trail: Trail, provider: Provider, anchors: Anchor[]): Promise<void> {
  const { own, mismatch } = anchorsOfStore(anchors, trail.store, trail.target);
  if (mismatch)
    throw new TrailError(`${mismatch.message}. Nothing was applied; run \`roster audit verify --store\` (docs/audit-trail.md, "Anchors name their target")`);
  const newest = own.sort((a, b) => b.seq - a.seq)[0];
  if (!newest) return;
  const [event] = provider.auditStore ? await provider.auditStore.events(newest.seq - 1) : readTrail(trail.path).events.filter((e) => e.seq === newest.seq);
  if (event?.seq === newest.seq && event.hash === newest.hash) return;
  throw new TrailError(
    `the store's audit trail contradicts the head published in refs/notes/roster on commit ${newest.commit.slice(0, 7)} (event ${newest.seq}, ${newest.at}): it was rewritten or cut since. Nothing was applied; run \`roster audit verify --store\``,
  );
}

/**
 * Publishes the head of the trail outside the store: a note on the applied
 * commit (refs/notes/roster, pushed by the apply workflow) and, in GitHub
 * Actions, the job summary. Returns what to tell the person; a note that
 * cannot be written is reported, not fatal (the apply has happened).
 */
export function publishHead(
  head: AuditEvent,
  trail: Pick<Trail, 'store' | 'target'>,
  commit: string | null,
  ctx: Pick<RunContext, 'cwd' | 'dir' | 'env'>,
): string[] {
  const { store } = trail;
  const line = anchorLine({ store, target: trail.target, seq: head.seq, hash: head.hash, at: new Date().toISOString() });
  const said: string[] = [];
  const dir = gitDirOf(ctx);
  if (commit && GitRepository.find(dir)) {
    try {
      appendAnchorNote(dir, commit, line);
      said.push(`Audit head (event ${head.seq}, ${head.hash}) anchored in refs/notes/roster on commit ${commit.slice(0, 7)}.`);
    } catch (e) {
      said.push(`Warning: the audit head could not be anchored in refs/notes/roster on commit ${commit.slice(0, 7)}: ${firstLine(e)}`);
    }
  }
  const summary = ctx.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    appendFileSync(
      summary,
      `\n### roster audit head\n\nStore \`${store}\`: event **${head.seq}**, \`${head.hash}\`${commit ? ` (commit ${commit})` : ''}.\n\n<!-- ${line} -->\n`,
    );
  }
  return said;
}

const firstLine = (e: unknown) =>
  String((e as { stderr?: unknown }).stderr || (e as Error).message)
    .trim()
    .split('\n')[0];

/** The repository the anchors live in: the declaration's, else the working dir's. */
export function gitDirOf(ctx: Pick<RunContext, 'cwd' | 'dir'>): string {
  const dir = declarationDir(ctx);
  return existsSync(dir) ? dir : ctx.cwd;
}
