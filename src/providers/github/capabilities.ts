import type { ProviderCapabilities } from '../capabilities.ts';

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
