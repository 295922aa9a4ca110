import type { AuditEvent } from './types.ts';

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
  seq: number;
  hash: string;
  at: string;
}

export const ANCHOR_REF = 'refs/notes/roster';
const PREFIX = 'roster-audit-head ';

/** One line of a note: a fixed prefix and JSON, so a note can hold several anchors and other text. */
export function anchorLine(a: Omit<Anchor, 'commit'>): string {
  return PREFIX + JSON.stringify({ store: a.store, seq: a.seq, hash: a.hash, at: a.at });
}

/** The anchors in a note's text; lines that are not anchors are ignored. */
export function parseAnchors(commit: string, note: string): Anchor[] {
  const out: Anchor[] = [];
  for (const line of note.split('\n')) {
    if (!line.startsWith(PREFIX)) continue;
    try {
      const a = JSON.parse(line.slice(PREFIX.length)) as Record<string, unknown>;
      if (typeof a.store === 'string' && typeof a.seq === 'number' && typeof a.hash === 'string' && typeof a.at === 'string') out.push({ commit, store: a.store, seq: a.seq, hash: a.hash, at: a.at });
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
    if (!event) return { checked: sorted.length, broken: { anchor, reason: `event ${anchor.seq} was published as the head (commit ${anchor.commit.slice(0, 7)}, ${anchor.at}) but the trail ends at event ${head}` } };
    if (event.hash !== anchor.hash) return { checked: sorted.length, broken: { anchor, reason: `event ${anchor.seq} is not the one published as the head (commit ${anchor.commit.slice(0, 7)}, ${anchor.at}): ${event.hash} instead of ${anchor.hash}` } };
  }
  const newest = sorted.at(-1);
  return newest ? { checked: sorted.length, newest } : { checked: 0 };
}
