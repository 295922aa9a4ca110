import type { ProviderCapabilities } from '../capabilities.ts';

/** The reference store holds everything the declaration format can say. */
export const POSTGRES_CAPABILITIES: ProviderCapabilities = {
  name: 'postgres',
  cannotHold: [],
  workspaceRoles: ['admin', 'member', 'viewer'],
  maxOrganizations: null,
  twoRoles: false,
  needsGithubLogin: false,
};
