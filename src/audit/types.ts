import type { Json } from '../plan/types.ts';

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
  prev: string;
  hash: string;
}

export type AuditDraft = Omit<AuditEvent, 'seq' | 'prev' | 'hash'>;
