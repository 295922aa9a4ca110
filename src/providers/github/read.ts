import type { GitHubClient } from '../../http/github.ts';
import type { WorkspaceRole } from '../../model/schema.generated.ts';
import { emptyLiveState, type LiveState, type LiveUser } from '../../model/live.ts';
import { NOREPLY } from '../../model/github.ts';
import { MANAGED_TEAM, TEAM_MARK, type GithubMapping } from './mapping.ts';

/** What writes need that the live state does not say: logins, team slugs and ids. */
export interface Known {
  /** email -> login */
  logins: Map<string, string>;
  /** workspace name -> team slug */
  teams: Map<string, string>;
  managedTeamId: number | null;
}

interface Member {
  login: string;
}
interface Invitation {
  id: number;
  login: string | null;
  role: string;
}
interface Team {
  id: number;
  slug: string;
  name: string;
  description: string | null;
}

/**
 * The organization in list requests only: members by role, invitations,
 * teams, and per team its maintainers, members and invitations. The one
 * exception: a pending team invitation does not say its role, so each one
 * costs a membership GET until the person accepts.
 */
export async function readOrganization(github: GitHubClient, org: string, mapping: GithubMapping): Promise<{ live: LiveState; known: Known }> {
  const list = <T>(route: string, params: Record<string, string | number> = {}) =>
    github.call(route.replace('{org}', org), (octokit) => octokit.paginate(route as never, { org, per_page: 100, ...params } as never) as Promise<T[]>);
  const [admins, members, invitations, teams] = await Promise.all([
    list<Member>('GET /orgs/{org}/members', { role: 'admin' }),
    list<Member>('GET /orgs/{org}/members', { role: 'member' }),
    list<Invitation>('GET /orgs/{org}/invitations'),
    list<Team>('GET /orgs/{org}/teams'),
  ]);
  const managedTeam = teams.find((t) => t.slug === MANAGED_TEAM);
  const workspaceTeams = teams.filter((t) => t !== managedTeam);
  const listTeamMembers = (t: Team, role?: string) => list<Member>('GET /orgs/{org}/teams/{team_slug}/members', { team_slug: t.slug, ...(role && { role }) });
  const [managedMembers, managedInvites, teamMembers] = await Promise.all([
    managedTeam ? listTeamMembers(managedTeam, 'all') : [],
    managedTeam ? list<Invitation>('GET /orgs/{org}/teams/{team_slug}/invitations', { team_slug: managedTeam.slug }) : [],
    Promise.all(
      workspaceTeams.map(async (t) => {
        const [maintainers, plain, pending] = await Promise.all([
          listTeamMembers(t, 'maintainer'),
          listTeamMembers(t, 'member'),
          list<Invitation>('GET /orgs/{org}/teams/{team_slug}/invitations', { team_slug: t.slug }),
        ]);
        const roles = new Map<string, WorkspaceRole>();
        for (const m of plain) roles.set(m.login.toLowerCase(), 'member');
        for (const m of maintainers) roles.set(m.login.toLowerCase(), 'admin');
        for (const inv of pending) {
          if (!inv.login) continue;
          const { data } = await github.call(`GET /orgs/${org}/teams/${t.slug}/memberships/${inv.login}`, (octokit) =>
            octokit.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', { org, team_slug: t.slug, username: inv.login! }),
          );
          roles.set(inv.login.toLowerCase(), data.role === 'maintainer' ? 'admin' : 'member');
        }
        return { team: t, roles };
      }),
    ),
  ]);

  const managed = new Set([...managedMembers.map((m) => m.login.toLowerCase()), ...managedInvites.flatMap((i) => (i.login ? [i.login.toLowerCase()] : []))]);
  // Declared logins first (people roster is about to invite); members' logins as GitHub spells them replace them below.
  const known: Known = {
    logins: new Map([...mapping.emails].map(([login, email]) => [email, login])),
    teams: new Map(),
    managedTeamId: managedTeam?.id ?? null,
  };
  const users = new Map<string, LiveUser>();
  const add = (login: string, admin: boolean, status: 'active' | 'invited') => {
    const lower = login.toLowerCase();
    const email = mapping.emails.get(lower) ?? `${lower}${NOREPLY}`;
    known.logins.set(email, login);
    users.set(lower, {
      email,
      name: null,
      role: admin ? mapping.adminRole : mapping.memberRole,
      status,
      organization: mapping.organization,
      department: null,
      expires: null,
      managed: managed.has(lower),
      workspaces: {},
      projects: [],
      packages: [],
      invitationKey: null,
      signupCredits: 0,
    });
  };
  for (const m of admins) add(m.login, true, 'active');
  for (const m of members) add(m.login, false, 'active');
  // A pending invitation counts as present: the person is never invited twice.
  for (const inv of invitations) if (inv.login && !users.has(inv.login.toLowerCase())) add(inv.login, inv.role === 'admin', 'invited');

  const live = emptyLiveState();
  for (const { team, roles } of teamMembers) {
    const marked = team.description?.startsWith(TEAM_MARK) ?? false;
    known.teams.set(team.name, team.slug);
    live.workspaces.push({
      name: team.name,
      organization: mapping.organization,
      description: marked ? team.description!.slice(TEAM_MARK.length).trim() || null : team.description || null,
      archived: false,
      managed: marked,
    });
    for (const [login, role] of roles) {
      const u = users.get(login);
      if (u) u.workspaces[team.name] = role;
    }
  }
  live.users = [...users.values()].sort((a, b) => (a.email < b.email ? -1 : 1));
  live.workspaces.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (mapping.organization) live.organizations = [{ name: mapping.organization, displayName: null, managed: true }];
  live.valueOnly = ['organizations', 'roles'];
  live.absentIsInactive = true;
  return { live, known };
}
