/* Generated from schema/roster.schema.json by `npm run schema:gen`. Do not edit: a test fails when this file is stale. */

/**
 * An email address; the user's identity. Trimmed, Unicode-normalised (NFC) and lower-cased before use; it cannot change once the user exists.
 *
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Email".
 */
export type Email = string;
/**
 * A name: lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters.
 *
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Name".
 */
export type Name = string;
/**
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "WorkspaceRole".
 */
export type WorkspaceRole = 'admin' | 'member' | 'viewer';
/**
 * Who receives a grant: one user's email, a list of emails, or a selector (role, workspace, organization, department, all) expanded to every matching active user when the grant is first applied.
 *
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "CreditTarget".
 */
export type CreditTarget =
  | Email
  | {
      role: Name;
    }
  | {
      workspace: Name;
    }
  | {
      organization: Name;
    }
  | {
      department: string;
    }
  | Email[]
  | {
      all: true;
    };
/**
 * A calendar date, YYYY-MM-DD.
 *
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "IsoDate".
 */
export type IsoDate = string;

/**
 * One roster declaration file. Every *.yaml file under the declaration folder (default users/) is a fragment; the union of all fragments is the desired state of the platform's people. See docs/declaration.md.
 */
export interface RosterFragment {
  settings?: Settings;
  /**
   * Organizations (tenants, accounts) users belong to. Keyed by name.
   */
  organizations?: Organization[];
  /**
   * The platform's roles. Names differ per platform (user / partner / agent / admin, Owner / Admin / Member / Viewer, ...).
   */
  roles?: Role[];
  /**
   * Workspaces (teams) with their own member roles. Users join them through `users[].workspaces`.
   */
  workspaces?: Workspace[];
  /**
   * Projects, each owned by an active user of its organization.
   */
  projects?: Project[];
  /**
   * Packages users are assigned to. Admins see every package; others see the ones they created or are assigned.
   */
  packages?: Package[];
  /**
   * The people. Keyed by normalised email.
   */
  users?: User[];
  /**
   * The credit ledger: each grant is applied exactly once, identified by its id. Grants are append-only: correct a mistake with a new grant.
   */
  credits?: Credit[];
}
/**
 * Run-wide settings. At most one fragment may hold them.
 *
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Settings".
 */
export interface Settings {
  /**
   * The live system roster manages. `postgres` is the embedded default (PGlite in .roster/live, or a PostgreSQL server when ROSTER_DATABASE_URL is set); `scim` is any SCIM 2.0 service (ROSTER_SCIM_URL, ROSTER_SCIM_TOKEN); `github` is one GitHub organization (ROSTER_GITHUB_ORG, GITHUB_TOKEN). Connection details always come from environment variables, never from files. A declaration using something the provider cannot hold (credits under scim, say) is a validation error.
   */
  provider?: 'postgres' | 'scim' | 'github';
  /**
   * The organization of users that name none.
   */
  organization?: string;
  /**
   * What to do with live users roster never managed and that are not declared: `ignore` them, `report` them in the plan (default), or `deactivate` them.
   */
  unmanaged?: 'ignore' | 'report' | 'deactivate';
  /**
   * What happens to a managed user removed from the declaration: `deactivate` (default, reversible) or `delete` (needs `roster apply --allow-delete`; ledger rows are kept anonymised).
   */
  removal?: 'deactivate' | 'delete';
  /**
   * Accounts roster never reads, plans or touches (service and break-glass accounts).
   */
  exclude?: Email[];
  guards?: Guards;
  approvals?: Approvals;
  policies?: Policies;
}
/**
 * Safety limits checked when planning and again when applying. A plan that breaks one is blocked and names the flag that overrides it.
 *
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Guards".
 */
export interface Guards {
  /**
   * Refuse to deactivate or delete more than this share (percent) of the active users in one run. Override: --allow-mass-removal.
   */
  maxRemovalPercent?: number;
  /**
   * Refuse a plan that leaves fewer active users with an admin role than this (when it lowers the count). Override: --allow-owner-change.
   */
  minAdmins?: number;
  /**
   * A credit grant whose total (amount times matching users) reaches this is a privileged step.
   */
  privilegedCreditAmount?: number;
}
/**
 * The two-person rule: privileged steps (admin or owner roles granted, deletions, large credit grants) need an approving review from a listed approver other than the author.
 *
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Approvals".
 */
export interface Approvals {
  privileged?: {
    minApprovals?: number;
    /**
     * GitHub logins allowed to approve privileged changes.
     *
     * @minItems 1
     */
    approvers: [string, ...string[]];
  };
}
/**
 * Platform-wide credit policy.
 *
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Policies".
 */
export interface Policies {
  /**
   * Awarded once (grant `signup:<email>`, kind awarded) to every user roster creates.
   */
  signupCredits?: number;
  /**
   * Balance at which the platform warns a user.
   */
  lowBalanceThreshold?: number;
  /**
   * Days after which credits expire; null means credits never expire.
   */
  creditExpiryDays?: number | null;
}
/**
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Organization".
 */
export interface Organization {
  name: Name;
  /**
   * Human-readable name.
   */
  displayName?: string;
}
/**
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Role".
 */
export interface Role {
  name: Name;
  description?: string;
  /**
   * An owner role: at least one active owner must remain, and no plan removes an owner without --allow-owner-change.
   */
  owner?: boolean;
  /**
   * An admin role: counts for guards.minAdmins and sees every package.
   */
  admin?: boolean;
  /**
   * Per-resource permissions of a custom role, e.g. `analytics: [view, export]`.
   */
  permissions?: {
    [k: string]: Name[];
  };
}
/**
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Workspace".
 */
export interface Workspace {
  name: Name;
  /**
   * A name: lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters.
   */
  organization?: string;
  description?: string;
  /**
   * Former names: a live workspace under one of them is renamed, not deleted and re-created.
   */
  previously?: Name[];
}
/**
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Project".
 */
export interface Project {
  name: Name;
  /**
   * A name: lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters.
   */
  organization?: string;
  /**
   * An email address; the user's identity. Trimmed, Unicode-normalised (NFC) and lower-cased before use; it cannot change once the user exists.
   */
  owner: string;
  description?: string;
}
/**
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Package".
 */
export interface Package {
  name: Name;
  /**
   * An email address; the user's identity. Trimmed, Unicode-normalised (NFC) and lower-cased before use; it cannot change once the user exists.
   */
  createdBy?: string;
  description?: string;
}
/**
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "User".
 */
export interface User {
  email: Email;
  /**
   * Display name.
   */
  name?: string;
  /**
   * A name: lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters.
   */
  role: string;
  /**
   * `active` and `invited` both mean the user should have access (a new user is created invited); `inactive` cannot log in, data kept; `suspended` is temporarily restricted.
   */
  status?: 'active' | 'invited' | 'inactive' | 'suspended';
  /**
   * A name: lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters.
   */
  organization?: string;
  department?: string;
  /**
   * The user's GitHub login. Required on every user when settings.provider is github: roster invites and manages the person under this login.
   */
  github?: string;
  /**
   * Workspace name to workspace role. Omitted: workspaces are not managed for this user. `{}`: the user is in none.
   */
  workspaces?: {
    [k: string]: WorkspaceRole;
  };
  /**
   * Projects the user is assigned to. Omitted: not managed. `[]`: none.
   */
  projects?: Name[];
  /**
   * Packages assigned to the user. Omitted: not managed. `[]`: none.
   */
  packages?: Name[];
  /**
   * Contractors: the first plan after this date deactivates the user.
   */
  expires?: string;
  /**
   * Set or change this token (e.g. today's date) to resend the invitation of a user who has not accepted it yet.
   */
  resendInvitation?: string;
}
/**
 * This interface was referenced by `RosterFragment`'s JSON-Schema
 * via the `definition` "Credit".
 */
export interface Credit {
  /**
   * Idempotency key: the grant is applied exactly once and is immutable once applied.
   */
  id: string;
  to: CreditTarget;
  /**
   * Credits per receiving user; negative for a deduction.
   */
  amount: number;
  /**
   * The balance the grant goes to.
   */
  kind?: 'awarded' | 'purchased';
  /**
   * Why: recorded in the ledger and the audit trail.
   */
  reason: string;
}
