import type { ProviderCapabilities } from '../capabilities.ts';

/**
 * SCIM 2.0 (RFC 7643) holds Users (userName, name, emails, active, roles,
 * the enterprise extension's organization and department) and Groups with
 * members. A group member has no role, so workspaces hold members only.
 */
export const SCIM_CAPABILITIES: ProviderCapabilities = {
  name: 'scim',
  cannotHold: ['projects', 'packages', 'credit grants', 'credit policies', 'expiry dates', 'invitation resends', 'role permissions', 'organization display names', 'workspace descriptions'],
  workspaceRoles: ['member'],
  maxOrganizations: null,
  twoRoles: false,
  needsGithubLogin: false,
};
