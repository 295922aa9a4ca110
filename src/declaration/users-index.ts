import type { Declaration, DeclaredUser } from './types.ts';

/** Users by email, one index per declaration: built by the merger, read by the rules and the plan. */
const index = new WeakMap<Declaration, Map<string, DeclaredUser>>();

export function rememberUsers(d: Declaration, byEmail: Map<string, DeclaredUser>): void {
  index.set(d, byEmail);
}

export function usersByEmail(d: Declaration): Map<string, DeclaredUser> {
  let byEmail = index.get(d);
  if (!byEmail) index.set(d, (byEmail = new Map(d.users.map((u) => [u.email, u]))));
  return byEmail;
}
