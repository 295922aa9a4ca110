import type { Declaration } from '../../model/declaration.ts';

/**
 * How roster's people and roles meet a GitHub organization. GitHub knows
 * logins, not emails: declared users bring theirs (`github:`), and members
 * roster does not know appear as `<login>@users.noreply.github.com`.
 * GitHub has two organization roles: the declared admin role maps to admin,
 * the other role to member.
 */
export interface GithubMapping {
  /** Lower-cased login -> email. */
  emails: Map<string, string>;
  adminRole: string;
  memberRole: string;
  /** The declared organization (at most one), stood for by ROSTER_GITHUB_ORG. */
  organization: string | null;
}

export function mappingFrom(d: Declaration): GithubMapping {
  return {
    emails: new Map(d.users.filter((u) => u.github).map((u) => [u.github!.toLowerCase(), u.email])),
    adminRole: d.roles.find((r) => r.admin)?.name ?? 'admin',
    memberRole: d.roles.find((r) => !r.admin)?.name ?? 'member',
    organization: d.organizations[0]?.name ?? null,
  };
}

/** The team whose members (and invitees) are the people roster manages. */
export const MANAGED_TEAM = 'roster-managed';
/** Teams roster manages carry this at the start of their description. */
export const TEAM_MARK = '[roster]';
