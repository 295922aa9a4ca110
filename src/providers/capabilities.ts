import type { ResolvedSettings, WorkspaceRole } from '../declaration/types.ts';

export type ProviderName = ResolvedSettings['provider'];

/** Declaration features a live system may be unable to hold; each is named in messages as written here. */
export type Feature =
  | 'projects'
  | 'packages'
  | 'credit grants'
  | 'credit policies'
  | 'expiry dates'
  | 'invitation resends'
  | 'role permissions'
  | 'organization display names'
  | 'workspace descriptions'
  | 'departments'
  | 'user names'
  | 'the suspended status';

/**
 * What a provider can hold, known without a connection, so that the
 * declaration can be checked against it before anything is read or planned.
 */
export interface ProviderCapabilities {
  name: ProviderName;
  cannotHold: Feature[];
  /** Workspace roles the live system distinguishes. */
  workspaceRoles: WorkspaceRole[];
  /** The most organizations it can hold (github: the one organization). */
  maxOrganizations: number | null;
  /** It tells only admins from members (github): at most one admin role and one other role. */
  twoRoles: boolean;
  /** Users are known by their GitHub login (the `github` field). */
  needsGithubLogin: boolean;
}
