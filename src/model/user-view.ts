import type { UserStatus } from './declaration.ts';

/** `roster users`: one row per person, computed by plan/user-view.ts and shown by render/users.ts. */

/** `not-created`: declared, not yet in the live system (the next apply invites them). */
export type ViewStatus = UserStatus | 'not-created';
export const VIEW_STATUSES: readonly ViewStatus[] = ['active', 'invited', 'inactive', 'suspended', 'not-created'];

export interface UserRow {
  email: string;
  name: string | null;
  status: ViewStatus;
  role: string | null;
  organization: string | null;
  department: string | null;
  workspaces: Record<string, string>;
  /** Sums of the person's ledger entries, per kind. */
  awarded: number;
  purchased: number;
  /** roster created or adopted the account (false for one not created yet). */
  managed: boolean;
  /** Where the person is declared (`users/a.yaml:12`), or null. */
  declaredAt: string | null;
}
