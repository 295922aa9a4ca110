import type { ResolvedSettings } from './declaration.ts';
import type { WorkspaceRole } from './schema.generated.ts';

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
  | 'the suspended status'
  | 'workspaces'
  | 'user organizations'
  | 'updates';

/**
 * A feature one live service lacks, found out when roster connects (a SCIM
 * service says so in /ServiceProviderConfig, /Schemas and /ResourceTypes):
 * `because` says where the service said it, in words.
 */
export interface ServiceGap {
  feature: Feature;
  because: string;
}

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

/** The reference store holds everything the declaration format can say. */
export const POSTGRES_CAPABILITIES: ProviderCapabilities = {
  name: 'postgres',
  cannotHold: [],
  workspaceRoles: ['admin', 'member', 'viewer'],
  maxOrganizations: null,
  twoRoles: false,
  needsGithubLogin: false,
};

/**
 * SCIM 2.0 (RFC 7643) holds Users (userName, name, emails, active, roles,
 * the enterprise extension's organization and department) and Groups with
 * members. A group member has no role, so workspaces hold members only.
 */
export const SCIM_CAPABILITIES: ProviderCapabilities = {
  name: 'scim',
  cannotHold: [
    'projects',
    'packages',
    'credit grants',
    'credit policies',
    'expiry dates',
    'invitation resends',
    'role permissions',
    'organization display names',
    'workspace descriptions',
  ],
  workspaceRoles: ['member'],
  maxOrganizations: null,
  twoRoles: false,
  needsGithubLogin: false,
};

/**
 * A GitHub organization: members with role admin or member, pending
 * invitations, and teams (maintainer or member). People own their GitHub
 * profile, so roster cannot set their name; an organization cannot
 * suspend a member (deactivating removes them).
 */
export const GITHUB_CAPABILITIES: ProviderCapabilities = {
  name: 'github',
  cannotHold: [
    'projects',
    'packages',
    'credit grants',
    'credit policies',
    'expiry dates',
    'invitation resends',
    'role permissions',
    'organization display names',
    'departments',
    'user names',
    'the suspended status',
  ],
  workspaceRoles: ['admin', 'member'],
  maxOrganizations: 1,
  twoRoles: true,
  needsGithubLogin: true,
};

/** Every provider's capabilities by name, for the checks made before anything is read. */
export const PROVIDER_CAPABILITIES: Record<ProviderName, ProviderCapabilities> = {
  postgres: POSTGRES_CAPABILITIES,
  scim: SCIM_CAPABILITIES,
  github: GITHUB_CAPABILITIES,
};
