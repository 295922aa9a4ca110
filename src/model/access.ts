import type { DeclaredUser } from './declaration.ts';
import type { CreditTarget } from './schema.generated.ts';

/**
 * Who has access and whom a credit grant reaches: the declaration's rules,
 * the planner and export all judge people by these, so they live here.
 */

/** Whether a user should have access: a new user is invited, and accepting is not drift. */
export const hasAccess = (u: { status: string }) => u.status === 'active' || u.status === 'invited';

/** Active or invited, and not past an `expires` date. */
export const effectivelyActive = (u: DeclaredUser, today: string) => hasAccess(u) && !(u.expires !== undefined && u.expires < today);

/** Whether a selector (or a list of emails) reaches a user; `department` undefined or null is in no department. */
export function matchesSelector(
  user: { email: string; role: string | null; organization: string | null; department?: string | null; workspaces?: Record<string, string> },
  to: Exclude<CreditTarget, string>,
): boolean {
  if (Array.isArray(to)) return to.includes(user.email);
  if ('role' in to) return user.role === to.role;
  if ('department' in to) return user.department === to.department;
  if ('workspace' in to) return user.workspaces !== undefined && to.workspace in user.workspaces;
  if ('organization' in to) return user.organization === to.organization;
  return true;
}
