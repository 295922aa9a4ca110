import type { CreditKind, UserStatus } from './declaration.ts';
import type { CreditTarget, WorkspaceRole } from './schema.generated.ts';
import type { AuditDraft, AuditEvent } from './audit.ts';
import type { Step } from './plan.ts';

/** Everything roster reads from a live system: plain data, comparable with the declaration. */
export interface LiveState {
  organizations: LiveOrganization[];
  roles: LiveRole[];
  workspaces: LiveWorkspace[];
  projects: LiveProject[];
  packages: LivePackage[];
  users: LiveUser[];
  grants: LiveGrant[];
  policies: LivePolicies;
  /**
   * Kinds the live system keeps only as values on its users (SCIM and
   * GitHub have no role or organization objects): the plan neither creates
   * nor removes them. Absent: every kind is an object of its own.
   */
  valueOnly?: ('organizations' | 'roles')[];
  /**
   * The guard settings the live system recorded when roster last applied
   * them (absent keys: the defaults). Absent where the live system cannot
   * record them: there the declaration's are used.
   */
  guards?: Partial<LiveGuards>;
  /** A user missing from the live system is as good as inactive (GitHub: deactivating removes the member). */
  absentIsInactive?: boolean;
}

interface Managed {
  /** roster created or adopted it; objects roster never managed are reported, not touched. */
  managed: boolean;
}

export interface LiveOrganization extends Managed {
  name: string;
  displayName: string | null;
}

export interface LiveRole extends Managed {
  name: string;
  description: string | null;
  owner: boolean;
  admin: boolean;
  permissions: Record<string, string[]>;
}

export interface LiveWorkspace extends Managed {
  name: string;
  organization: string | null;
  description: string | null;
  archived: boolean;
}

export interface LiveProject extends Managed {
  name: string;
  organization: string | null;
  owner: string | null;
  description: string | null;
  archived: boolean;
}

export interface LivePackage extends Managed {
  name: string;
  createdBy: string | null;
  description: string | null;
}

export interface LiveUser extends Managed {
  email: string;
  name: string | null;
  role: string | null;
  status: UserStatus;
  organization: string | null;
  department: string | null;
  expires: string | null;
  workspaces: Record<string, WorkspaceRole>;
  projects: string[];
  packages: string[];
  /** The last `resendInvitation` token acted on. */
  invitationKey: string | null;
  /** Signup credits owed at creation; paid by the grant `signup:<email>`. */
  signupCredits: number;
}

export interface LiveGrant {
  id: string;
  target: CreditTarget;
  amount: number;
  kind: CreditKind;
  reason: string;
  /** One ledger row per receiving user, written together with the grant. */
  entries: { user: string; amount: number }[];
}

export interface LiveGuards {
  maxRemovalPercent: number;
  minAdmins: number;
  privilegedCreditAmount: number;
}

export interface LivePolicies {
  signupCredits: number | null;
  lowBalanceThreshold: number | null;
  creditExpiryDays: number | null;
}

export function emptyLiveState(): LiveState {
  return {
    organizations: [],
    roles: [],
    workspaces: [],
    projects: [],
    packages: [],
    users: [],
    grants: [],
    policies: { signupCredits: null, lowBalanceThreshold: null, creditExpiryDays: null },
  };
}

export type Capability = 'organizations' | 'roles' | 'workspaces' | 'projects' | 'packages' | 'credits' | 'policies';

export interface ProviderInfo {
  name: string;
  /** Where it points, with any credential removed. */
  target: string;
  /**
   * What the live system is, never how roster reaches it: postgres host, port,
   * database and schema (or the embedded data dir), the SCIM base URL, the
   * GitHub API host and organization. No user name or credential. Audit
   * anchors carry a digest of it, so a store whose id was rewritten is
   * still known by where it lives.
   */
  identity: string;
  capabilities: Capability[];
}

export type Release = () => Promise<void>;

export interface Provider {
  describe(): ProviderInfo;
  read(): Promise<LiveState>;
  /**
   * Applies steps, all-or-nothing where the live system has transactions.
   * A provider with an `auditStore` records one audit event per step (built
   * by `draft`) atomically with the step; one without returns and the apply
   * module records the events in the JSON-lines trail. Each step is
   * idempotent, so a batch interrupted half-way can simply be run again.
   * `onStep` is called after each step.
   */
  applyBatch(steps: Step[], draft: (step: Step) => AuditDraft, onStep?: (step: Step) => void): Promise<void>;
  /** Exclusive for the length of an apply. */
  lock(timeoutMs: number): Promise<Release>;
  /** The provider's own append-only audit store, written in the same transaction as each step. */
  auditStore?: AuditStore;
  close(): Promise<void>;
}

export interface AuditStore {
  /** The store's own id, generated when it was created: the trail file's events carry it. */
  id?(): Promise<string>;
  /** Events in sequence order, after `afterSeq` (exclusive). */
  events(afterSeq?: number): Promise<AuditEvent[]>;
  /** Chains and appends events that no step transaction holds (failed steps). */
  append(drafts: AuditDraft[]): Promise<AuditEvent[]>;
}
