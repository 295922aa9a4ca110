import { sha256 } from '../util/canonical.ts';
import type { AuditEvent } from '../model/audit.ts';

/**
 * A trail's head as published outside the store after an apply: in a git
 * note on the applied commit (refs/notes/roster) and in the CI job summary.
 * Rewriting the store afterwards, even with every hash recomputed, changes
 * the hash at an anchored sequence number.
 */
export interface Anchor {
  /** The commit the note is attached to (the applied commit). */
  commit: string;
  store: string;
  /** Digest of the target's identity (targetDigest); absent in anchors published before anchors named their target. */
  target?: string;
  seq: number;
  hash: string;
  at: string;
}

export const ANCHOR_REF = 'refs/notes/roster';
const PREFIX = 'roster-audit-head ';

/** One line of a note: a fixed prefix and JSON, so a note can hold several anchors and other text. */
export function anchorLine(a: Omit<Anchor, 'commit'>): string {
  return PREFIX + JSON.stringify({ store: a.store, ...(a.target && { target: a.target }), seq: a.seq, hash: a.hash, at: a.at });
}

/** The digest anchors carry for a target: of its identity (ProviderInfo.identity), which holds no credential. */
export const targetDigest = (identity: string): string => sha256(`roster-target ${identity}`);

/** The anchors in a note's text; lines that are not anchors are ignored. */
export function parseAnchors(commit: string, note: string): Anchor[] {
  const out: Anchor[] = [];
  for (const line of note.split('\n')) {
    if (!line.startsWith(PREFIX)) continue;
    try {
      const a = JSON.parse(line.slice(PREFIX.length)) as Record<string, unknown>;
      if (typeof a.store === 'string' && typeof a.seq === 'number' && typeof a.hash === 'string' && typeof a.at === 'string') {
        out.push({ commit, store: a.store, ...(typeof a.target === 'string' && { target: a.target }), seq: a.seq, hash: a.hash, at: a.at });
      }
    } catch {
      // not an anchor after all
    }
  }
  return out;
}

export interface AnchorCheck {
  /** Anchors compared. */
  checked: number;
  /** The newest anchor (highest sequence number). */
  newest?: Anchor;
  /** The first anchor the events contradict. */
  broken?: { anchor: Anchor; reason: string };
}

/**
 * Checks events against the anchors of their store: the event at each
 * anchored sequence number must exist and carry the anchored hash.
 */
export function checkAnchors(events: AuditEvent[], anchors: Anchor[]): AnchorCheck {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const head = events.at(-1)?.seq ?? 0;
  const sorted = [...anchors].sort((a, b) => a.seq - b.seq);
  for (const anchor of sorted) {
    const event = bySeq.get(anchor.seq);
    if (!event)
      return {
        checked: sorted.length,
        broken: {
          anchor,
          reason: `event ${anchor.seq} was published as the head (commit ${anchor.commit.slice(0, 7)}, ${anchor.at}) but the trail ends at event ${head}`,
        },
      };
    if (event.hash !== anchor.hash)
      return {
        checked: sorted.length,
        broken: {
          anchor,
          reason: `event ${anchor.seq} is not the one published as the head (commit ${anchor.commit.slice(0, 7)}, ${anchor.at}): ${event.hash} instead of ${anchor.hash}`,
        },
      };
  }
  const newest = sorted.at(-1);
  return newest ? { checked: sorted.length, newest } : { checked: 0 };
}

/** The anchors of one store, and those published for the same target under other store ids. */
export interface AnchorsOfStore {
  own: Anchor[];
  /** Set only when the store has none of its own: its id was rewritten, or it is not the store they were published for. */
  mismatch?: { anchors: Anchor[]; stores: string[]; message: string };
}

/**
 * Selects a store's anchors by its id, and checks the id against where the
 * store lives: a store with no anchors of its own on a target that has
 * anchors under another id is a mismatch, not a first apply. Rewriting
 * roster_meta's id would otherwise make every published head disappear.
 */
export function anchorsOfStore(anchors: Anchor[], store: string, target: string): AnchorsOfStore {
  const own = anchors.filter((a) => a.store === store);
  if (own.length) return { own };
  const others = anchors.filter((a) => a.target === target);
  if (!others.length) return { own };
  const stores = [...new Set(others.map((a) => a.store))].sort();
  const newest = others.reduce((a, b) => (b.seq > a.seq ? b : a));
  const message =
    `${others.length} head(s) were published in refs/notes/roster for this target under store id ${stores.join(', ')} (newest: event ${newest.seq}, commit ${newest.commit.slice(0, 7)}), ` +
    `none under this store's id ${store}: the store's id was rewritten, or this is not the store those heads were published for`;
  return { own, mismatch: { anchors: others, stores, message } };
}
