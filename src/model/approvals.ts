import type { ApprovalRule } from './plan.ts';

/**
 * The two-person rule's inputs and verdict: plan/approvals.ts decides,
 * github/ fetches the reviews and shows the verdict.
 */

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

/** A review of a pull request, as GitHub reports it. */
export interface Review {
  reviewer: string;
  state: ReviewState;
  /** The commit the review was given on. */
  commitId: string;
  submittedAt: string | null;
}

/** Something that needs the two-person rule: a privileged step, or a change to the rule itself. */
export interface NeedsApproval {
  kind: string;
  key: string;
  /** Why it is privileged, in words. */
  why: string;
  source: string;
}

export interface ApprovalStatus {
  rule: ApprovalRule | null;
  needs: NeedsApproval[];
  /** Listed approvers, other than the author, whose latest review on the head commit approves. */
  approvedBy: string[];
  /** Approvals that do not count, each with the reason. */
  notCounted: { reviewer: string; reason: string }[];
  satisfied: boolean;
}
