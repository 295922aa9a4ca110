import type { Location, Problem } from './problems.ts';
import type { CreditTarget, WorkspaceRole } from './schema.generated.ts';

export type UserStatus = 'active' | 'invited' | 'inactive' | 'suspended';
export type CreditKind = 'awarded' | 'purchased';

/** Settings with every default filled in. */
export interface ResolvedSettings {
  provider: 'postgres' | 'scim' | 'github';
  organization: string | null;
  unmanaged: 'ignore' | 'report' | 'deactivate';
  removal: 'deactivate' | 'delete';
  exclude: string[];
  guards: { maxRemovalPercent: number; minAdmins: number; privilegedCreditAmount: number };
  approvals: { privileged: { minApprovals: number; approvers: string[] } | null };
  /** Omitted policies are not managed; `null` for creditExpiryDays means "never expire". */
  policies: { signupCredits?: number; lowBalanceThreshold?: number; creditExpiryDays?: number | null };
}

export interface Sourced {
  at: Location;
}

export interface DeclaredOrganization extends Sourced {
  name: string;
  displayName?: string;
}

export interface DeclaredRole extends Sourced {
  name: string;
  description?: string;
  owner: boolean;
  admin: boolean;
  permissions?: Record<string, string[]>;
}

export interface DeclaredWorkspace extends Sourced {
  name: string;
  organization: string | null;
  description?: string;
  previously: string[];
}

export interface DeclaredProject extends Sourced {
  name: string;
  organization: string | null;
  owner: string;
  description?: string;
}

export interface DeclaredPackage extends Sourced {
  name: string;
  createdBy?: string;
  description?: string;
}

export interface DeclaredUser extends Sourced {
  /** Normalised: trimmed, NFC, lower case. */
  email: string;
  name?: string;
  role: string;
  status: UserStatus;
  organization: string | null;
  department?: string;
  /** GitHub login (needed under the github provider). */
  github?: string;
  /** Omitted means unmanaged; `{}` means none. */
  workspaces?: Record<string, WorkspaceRole>;
  projects?: string[];
  packages?: string[];
  expires?: string;
  resendInvitation?: string;
}

export interface DeclaredCredit extends Sourced {
  id: string;
  /** An email (normalised) or a selector. */
  to: CreditTarget;
  amount: number;
  kind: CreditKind;
  reason: string;
}

/** The union of every fragment: the desired state, each entity remembering where it was declared. */
export interface Declaration {
  settings: ResolvedSettings;
  settingsAt?: Location;
  organizations: DeclaredOrganization[];
  roles: DeclaredRole[];
  workspaces: DeclaredWorkspace[];
  projects: DeclaredProject[];
  packages: DeclaredPackage[];
  users: DeclaredUser[];
  credits: DeclaredCredit[];
  /** Fragment files read, relative to the working directory, sorted. */
  files: string[];
  /**
   * sha256 of the fragment files, paths and contents: any edit to them (even
   * a comment) makes a saved plan stale. Hashing the text is a hundred times
   * cheaper than hashing the merged declaration of 100,000 users.
   */
  digest: string;
}

export interface LoadResult {
  /** Present when there are no errors. */
  declaration?: Declaration;
  problems: Problem[];
  /** Which parser read each file: the fast path, or the precise path (unusual content, or a problem to locate). */
  parsedBy: { fast: string[]; precise: string[]; located: LocatorStats };
}

/**
 * Parts of fast-path files parsed again, by the precise parser, to find where
 * a field is: entities (regions) and whole files. Counted as they happen, also
 * after loading (a plan step points at a field); a valid declaration costs none.
 */
export interface LocatorStats {
  regions: number;
  files: number;
}
