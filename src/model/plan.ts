import type { OverrideRecord } from './audit.ts';
import type { Problem } from './problems.ts';

import type { Fields } from './json.ts';

export type StepKind =
  | 'organization.create'
  | 'organization.adopt'
  | 'organization.update'
  | 'organization.delete'
  | 'role.create'
  | 'role.adopt'
  | 'role.update'
  | 'role.delete'
  | 'workspace.create'
  | 'workspace.adopt'
  | 'workspace.rename'
  | 'workspace.update'
  | 'workspace.archive'
  | 'project.create'
  | 'project.adopt'
  | 'project.update'
  | 'project.owner'
  | 'project.archive'
  | 'package.create'
  | 'package.adopt'
  | 'package.update'
  | 'package.delete'
  | 'settings.update'
  | 'user.create'
  | 'user.adopt'
  | 'user.update'
  | 'user.transfer'
  | 'user.reactivate'
  | 'user.suspend'
  | 'invitation.resend'
  | 'membership.set'
  | 'project.assign'
  | 'package.assign'
  | 'credit.grant'
  | 'membership.remove'
  | 'project.unassign'
  | 'package.unassign'
  | 'user.deactivate'
  | 'user.delete';

/** Whether a step adds, changes or removes: how plans are counted and shown. */
export type Action = 'add' | 'change' | 'remove';

export function actionOf(kind: StepKind): Action {
  const verb = kind.slice(kind.indexOf('.') + 1);
  if (['create', 'adopt', 'set', 'assign', 'grant'].includes(verb)) return 'add';
  if (['delete', 'deactivate', 'archive', 'remove', 'unassign'].includes(verb)) return 'remove';
  return 'change';
}

export type Risk = 'privileged' | 'destructive';

/**
 * One unit of change, plain data. `before` and `after` hold the fields that
 * change (with the identifying fields in `after`, or `before` for removals);
 * `source` is the declaration location that caused it.
 */
export interface Step {
  kind: StepKind;
  key: string;
  before: Fields | null;
  after: Fields | null;
  reason: string;
  source: string;
  risk: Risk[];
  /** Keys of steps in this plan that must succeed first. */
  requires?: string[];
}

export type GuardName = 'maxRemovalPercent' | 'minAdmins' | 'lastOwner' | 'ownerChange' | 'delete';
export type OverrideFlag = '--allow-mass-removal' | '--allow-delete' | '--allow-owner-change';

/** Who granted an override flag: the apply command line, or a pull request (its label and approvals). */
export type OverrideGrant = Omit<OverrideRecord, 'guard' | 'flag'>;
export type OverrideGrants = Partial<Record<OverrideFlag, OverrideGrant>>;

/** settings.approvals.privileged: the two-person rule for privileged steps. */
export interface ApprovalRule {
  minApprovals: number;
  approvers: string[];
}

export interface Block {
  guard: GuardName;
  message: string;
  flag: OverrideFlag;
  /** Whether the flag was given, so the plan may proceed. */
  overridden: boolean;
  keys: string[];
}

export interface PlanOptions {
  allowDelete: boolean;
  allowMassRemoval: boolean;
  allowOwnerChange: boolean;
}

/** What a plan is judged by besides the live state: in `--github` runs, the pull request's base commit. */
export interface JudgedBy {
  /** settings.guards on the base commit (absent keys: the defaults); the stricter of it and the declared is in force. */
  baseGuards?: Partial<{ maxRemovalPercent: number; minAdmins: number; privilegedCreditAmount: number }>;
}

export interface Plan {
  formatVersion: 1;
  /** The instant the plan was computed for (expiry dates are compared with it). */
  now: string;
  steps: Step[];
  blocks: Block[];
  /** Found while comparing with the live state (e.g. an applied grant was changed). */
  problems: Problem[];
  /** Live users roster does not manage and that are not declared (`unmanaged: report`). */
  unmanaged: string[];
  summary: { add: number; change: number; remove: number };
  desiredDigest: string;
  liveFingerprint: string;
}
