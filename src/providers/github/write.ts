import type { GitHubClient } from '../../http/github.ts';
import { ProviderError } from '../../errors.ts';
import type { Step } from '../../model/plan.ts';
import type { GithubConfig } from './config.ts';
import { MANAGED_TEAM, TEAM_MARK } from './mapping.ts';
import type { Known } from './read.ts';

/**
 * Performs one step with GitHub's REST API. Each is safe to repeat: PUTs
 * set a state, a DELETE of something already gone (404) is done, and a
 * create that finds its object already there (422) takes it.
 */
export async function writeStep(github: GitHubClient, config: GithubConfig, known: Known, step: Step): Promise<void> {
  const { org, mapping } = config;
  // `org` only where the route has it: octokit sends parameters a route does not name as query or body fields, which GitHub does not take.
  const req = <T>(route: string, params: Record<string, unknown>) => {
    const all = route.includes('{org}') ? { org, ...params } : params;
    return github.call(
      `${route.split(' ')[0]} ${expand(route.split(' ')[1]!, all)}`,
      (octokit) => octokit.request(route as never, all as never) as Promise<{ data: T }>,
    );
  };
  const login = (email: string) => {
    const l = known.logins.get(email);
    if (!l) throw new ProviderError(`github: no GitHub login is known for ${email}`);
    return l;
  };
  const slug = (name: string) => {
    const s = known.teams.get(name);
    if (!s) throw new ProviderError(`github: no team ${name} was found when the organization was read`);
    return s;
  };
  const orgRole = (role: string | null | undefined) => (role === mapping.adminRole ? 'admin' : 'member');
  const gone = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      if ((e as { status?: number }).status !== 404) throw e;
    }
  };

  switch (step.kind) {
    case 'workspace.create': {
      const { name } = step.after;
      const description = `${TEAM_MARK} ${step.after.description ?? ''}`.trim();
      try {
        const { data } = await req<{ slug: string }>('POST /orgs/{org}/teams', { name, description, privacy: 'closed' });
        known.teams.set(name, data.slug);
      } catch (e) {
        if ((e as { status?: number }).status !== 422) throw e;
        // Made by an earlier attempt whose answer was lost.
        const { data } = await req<{ slug: string }>('GET /orgs/{org}/teams/{team_slug}', { team_slug: slugify(name) });
        known.teams.set(name, data.slug);
      }
      return;
    }
    case 'workspace.adopt':
    case 'workspace.update': {
      const { before: b, after: a } = step;
      const description = 'description' in a ? a.description : b.description;
      await req('PATCH /orgs/{org}/teams/{team_slug}', { team_slug: slug(a.name), description: `${TEAM_MARK} ${description ?? ''}`.trim() });
      return;
    }
    case 'workspace.rename': {
      const { before: b, after: a } = step;
      const { data } = await req<{ slug: string }>('PATCH /orgs/{org}/teams/{team_slug}', { team_slug: slug(b.name), name: a.name });
      known.teams.delete(b.name);
      known.teams.set(a.name, data.slug);
      return;
    }
    case 'workspace.archive':
      // GitHub teams cannot be archived: the team goes, repository access with it.
      await gone(() => req('DELETE /orgs/{org}/teams/{team_slug}', { team_slug: slug(step.before.name) }));
      known.teams.delete(step.before.name);
      return;
    case 'user.create': {
      const { email, role } = step.after;
      const username = login(email);
      const { data: user } = await req<{ id: number }>('GET /users/{username}', { username });
      await req('POST /orgs/{org}/invitations', {
        invitee_id: user.id,
        role: orgRole(role) === 'admin' ? 'admin' : 'direct_member',
        team_ids: [known.managedTeamId],
      });
      known.logins.set(email, username);
      return;
    }
    case 'user.adopt': {
      const a = step.after;
      await req('PUT /orgs/{org}/teams/{team_slug}/memberships/{username}', { team_slug: MANAGED_TEAM, username: login(a.email), role: 'member' });
      if ('role' in a) await req('PUT /orgs/{org}/memberships/{username}', { username: login(a.email), role: orgRole(a.role) });
      return;
    }
    case 'user.update': {
      const a = step.after;
      if ('role' in a) await req('PUT /orgs/{org}/memberships/{username}', { username: login(a.email), role: orgRole(a.role) });
      return;
    }
    case 'user.deactivate':
    case 'user.delete':
      // Removes a member, or cancels a pending invitation; an organization cannot keep an inactive member.
      await gone(() => req('DELETE /orgs/{org}/memberships/{username}', { username: login((step.after ?? step.before).email) }));
      return;
    case 'membership.set': {
      const a = step.after;
      await req('PUT /orgs/{org}/teams/{team_slug}/memberships/{username}', {
        team_slug: slug(a.workspace),
        username: login(a.user),
        role: a.role === 'admin' ? 'maintainer' : 'member',
      });
      return;
    }
    case 'membership.remove': {
      const b = step.before;
      await gone(() => req('DELETE /orgs/{org}/teams/{team_slug}/memberships/{username}', { team_slug: slug(b.workspace), username: login(b.user) }));
      return;
    }
    default:
      // The capability rule rejects declarations that would need the others.
      throw new ProviderError(`the github provider cannot apply ${step.kind} (${step.key})`);
  }
}

/** GitHub's slug for a team name: lower case, runs of other characters as one dash. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-|-$/g, '');
}

function expand(path: string, params: Record<string, unknown>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k]));
}
