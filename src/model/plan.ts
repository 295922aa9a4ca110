import type { OverrideRecord } from './audit.ts';
import type { CreditKind, UserStatus } from './declaration.ts';
import type { CreditTarget, WorkspaceRole } from './schema.generated.ts';
import type { Problem } from './problems.ts';

/** The fields a plan manages on each named entity, with the values a live system holds. */
export type OrganizationValues = { displayName: string | null };
export type RoleValues = { description: string | null; owner: boolean; admin: boolean; permissions: Record<string, string[]> };
export type WorkspaceValues = { organization: string | null; description: string | null; archived: boolean };
export type ProjectValues = { organization: string | null; description: string | null; archived: boolean };
export type PackageValues = { createdBy: string | null; description: string | null };
/** A person's fields the declaration may leave out (then left alone). */
export type UserValues = { name: string | null; role: string | null; department: string | null; expires: string | null };
/**
 * Settings a step records, by name: the policies, and the guards under
 * `guards.` (where the live system records them). One per step.
 */
export type SettingValues = {
  signupCredits: number | null;
  lowBalanceThreshold: number | null;
  creditExpiryDays: number | null;
  'guards.maxRemovalPercent': number;
  'guards.minAdmins': number;
  'guards.privilegedCreditAmount': number;
};

type Named = { name: string };
type ByEmail = { email: string };
/** A new entity: every managed field, null where the declaration leaves it out. */
type Create<V> = { before: null; after: Named & { [F in keyof V]: V[F] | null } };
/** Only the fields that differ, on both sides; adopting also flips `managed`. */
type Adopt<V> = { before: Named & { managed: false } & Partial<V>; after: Named & { managed: true } & Partial<V> };
type Update<V> = { before: Named & Partial<V>; after: Named & Partial<V> };
type Rename = { before: Named; after: Named };
type Remove = { before: Named; after: null };
type UserStatusChange = { before: ByEmail & { status: UserStatus }; after: ByEmail & { status: UserStatus } };
type Membership = { workspace: string; user: string; role: WorkspaceRole };
type ProjectAssignment = { project: string; user: string };
type PackageAssignment = { package: string; user: string };

/**
 * What each step kind holds in `before` and `after` (null: nothing there
 * before, or nothing left after). The keys are the step kinds; the order
 * they are applied in is src/plan/order.ts's. docs/cli.md has this table in words.
 */
export interface StepFields {
  'organization.create': Create<OrganizationValues>;
  'organization.adopt': Adopt<OrganizationValues>;
  'organization.update': Update<OrganizationValues>;
  'organization.delete': Remove;
  'role.create': Create<RoleValues>;
  'role.adopt': Adopt<RoleValues>;
  'role.update': Update<RoleValues>;
  'role.delete': Remove;
  'workspace.create': Create<WorkspaceValues>;
  'workspace.adopt': Adopt<WorkspaceValues>;
  'workspace.rename': Rename;
  'workspace.update': Update<WorkspaceValues>;
  'workspace.archive': Remove;
  'project.create': Create<ProjectValues>;
  'project.adopt': Adopt<ProjectValues>;
  'project.update': Update<ProjectValues>;
  'project.owner': { before: { project: string; owner: string | null }; after: { project: string; owner: string } };
  'project.archive': Remove;
  'package.create': Create<PackageValues>;
  'package.adopt': Adopt<PackageValues>;
  'package.update': Update<PackageValues>;
  'package.delete': Remove;
  'settings.update': { before: Partial<SettingValues>; after: Partial<SettingValues> };
  'user.create': {
    before: null;
    after: ByEmail & {
      name: string | null;
      role: string;
      status: UserStatus;
      organization: string | null;
      department: string | null;
      expires: string | null;
      invitationKey: string | null;
      signupCredits: number;
    };
  };
  'user.adopt': { before: ByEmail & { managed: false } & Partial<UserValues>; after: ByEmail & { managed: true } & Partial<UserValues> };
  'user.update': { before: ByEmail & Partial<UserValues>; after: ByEmail & Partial<UserValues> };
  'user.transfer': { before: ByEmail & { organization: string | null }; after: ByEmail & { organization: string | null } };
  'user.reactivate': UserStatusChange;
  'user.suspend': UserStatusChange;
  'invitation.resend': { before: ByEmail & { invitationKey: string | null }; after: ByEmail & { invitationKey: string } };
  'membership.set': { before: Membership | null; after: Membership };
  'project.assign': { before: null; after: ProjectAssignment };
  'package.assign': { before: null; after: PackageAssignment };
  'credit.grant': {
    before: null;
    after: { id: string; target: CreditTarget; amount: number; kind: CreditKind; reason: string; entries: { user: string; amount: number }[] };
  };
  'membership.remove': { before: Membership; after: null };
  'project.unassign': { before: ProjectAssignment; after: null };
  'package.unassign': { before: PackageAssignment; after: null };
  'user.deactivate': UserStatusChange;
  'user.delete': { before: ByEmail & { status: UserStatus; role: string | null; organization: string | null }; after: null };
}

export type StepKind = keyof StepFields;

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
 * change (with the identifying fields in `after`, or `before` for removals),
 * as StepFields says for the step's kind; `source` is the declaration
 * location that caused it. `Step` is any kind; `Step<'user.create'>` one.
 */
export type Step<K extends StepKind = StepKind> = {
  [P in K]: {
    kind: P;
    key: string;
    before: StepFields[P]['before'];
    after: StepFields[P]['after'];
    reason: string;
    source: string;
    risk: Risk[];
    /** Keys of steps in this plan that must succeed first. */
    requires?: string[];
  };
}[K];

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
