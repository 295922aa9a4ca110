import type { Json } from './json.ts';

export interface Actor {
  name: string;
  gitAuthor?: string;
  pr?: number;
  prTitle?: string;
  /** The pull request's author (GitHub login). */
  prAuthor?: string;
  /** Reviewers whose latest review approved the pull request. */
  approvers?: string[];
}

/**
 * A guard that blocked the plan and was overridden, on every event of a step
 * the block named: which guard, which flag, and who granted it (the apply
 * command line, or a label on a pull request with the approvals that made it count).
 */
export interface OverrideRecord {
  guard: string;
  flag: string;
  from: 'command-line' | 'pull-request';
  pr?: number;
  label?: string;
  labeledBy?: string;
  approvers?: string[];
}

/** One applied (or failed) step, hash-chained to the event before it. */
export interface AuditEvent {
  seq: number;
  at: string;
  step: string;
  key: string;
  before: Json;
  after: Json;
  reason: string;
  source: string;
  actor: Actor;
  commit: string | null;
  /**
   * Set when the declaration folder had uncommitted changes (or untracked
   * files) when the plan was made or applied: `commit` is then only the
   * commit those changes were made on, not what was applied.
   */
  dirty?: true;
  /** The id of the store the event was recorded for (absent in trails written before stores had ids). */
  store?: string;
  result: 'applied' | 'failed';
  error?: string;
  /**
   * Set on an event recorded after the fact: the apply that made the change
   * was killed before recording it, and the next apply (at this time) found
   * the change in the live system. `at`, actor and commit are the original run's.
   */
  recovered?: string;
  /** Guards this step got past by an override (absent when none). */
  overrides?: OverrideRecord[];
  /** The instant the plan was made for, when --now set one other than the clock. */
  now?: string;
  prev: string;
  hash: string;
}

export type AuditDraft = Omit<AuditEvent, 'seq' | 'prev' | 'hash'>;
