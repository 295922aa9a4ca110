import type { ResolvedSettings } from './declaration.ts';

/** The settings of a declaration that declares none, and each default of one that leaves a setting out. */
export const DEFAULT_SETTINGS: ResolvedSettings = {
  provider: 'postgres',
  organization: null,
  unmanaged: 'report',
  removal: 'deactivate',
  exclude: [],
  guards: { maxRemovalPercent: 25, minAdmins: 1, privilegedCreditAmount: 1000 },
  approvals: { privileged: null },
  policies: {},
};
