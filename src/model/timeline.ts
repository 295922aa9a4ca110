import type { AuditEvent } from './audit.ts';

/**
 * One person's timeline (`roster history`): history/ joins the commits that
 * changed their entry with the audit events that concern them; render/ shows it.
 */

/** One change to a person's entry or to a grant that reaches them, in one commit. */
export interface Change {
  /** `user`, or `credit <id>`. */
  what: string;
  action: 'added' | 'changed' | 'removed' | 'moved';
  /** Where it is declared after the commit (before it, for removals). */
  file: string;
  line: number;
  /** For moves (a fragment file renamed, or the entry moved to another file): where it was. */
  from?: string;
  /** The entry as YAML, line by line, prefixed `+ `, `- ` or `  `. */
  diff: string[];
}

export interface CommitEntry {
  type: 'commit';
  at: string;
  commit: string;
  author: string;
  authorEmail: string;
  subject: string;
  pr: number | null;
  changes: Change[];
}

export interface EventEntry {
  type: 'event';
  at: string;
  event: AuditEvent;
}

export type TimelineEntry = CommitEntry | EventEntry;
