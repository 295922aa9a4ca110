import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../helpers/loopback.ts';
import { OpenApiChecker } from '../helpers/github-openapi.ts';
import { basicError, idOf, invitation, orgMembership, publicUser, simpleUser, team, teamFull, teamMembership } from './github-shapes.ts';

/**
 * A GitHub REST API for one organization on 127.0.0.1, answering with the
 * shapes GitHub documents (docs.github.com/rest: orgs members, invitations,
 * memberships, teams and team memberships), paginated with per_page/page and
 * Link headers. Enough of GitHub for roster's provider, no more; it counts
 * requests and can answer a share of them 429 or 500.
 */
export interface GithubServer {
  url: string;
  token: string;
  org: string;
  log: { method: string; path: string; status?: number }[];
  state: OrgState;
  /** The person accepts their invitation: member of the organization and of the teams it named. */
  accept(login: string): void;
  /** Someone made a member by hand in GitHub's settings. */
  addMember(login: string, role: 'admin' | 'member'): void;
  setFaults(f: { rate429: number; rate500: number; seed: number } | undefined): void;
  /** Every request and answer checked against GitHub's OpenAPI description; close() fails on a violation. */
  openapi: OpenApiChecker;
  close(): Promise<void>;
}

interface Team {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  privacy: string;
  /** login (lower case) -> role and state */
  members: Map<string, { role: 'maintainer' | 'member'; state: 'active' | 'pending' }>;
}
interface Invitation {
  id: number;
  login: string;
  role: string;
  teamIds: number[];
  created_at: string;
}
export interface OrgState {
  members: Map<string, { login: string; role: 'admin' | 'member' }>;
  invitations: Map<string, Invitation>;
  teams: Map<string, Team>;
}

const userId = idOf;
const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-|-$/g, '');

export async function startGithubServer(org = 'acme-test', token = 'ghp_testtoken0123456789abcdef'): Promise<GithubServer> {
  const state: OrgState = { members: new Map(), invitations: new Map(), teams: new Map() };
  const logins = new Map<number, string>();
  const log: GithubServer['log'] = [];
  let nextId = 1000;
  let faults: { rate429: number; rate500: number; seed: number } | undefined;
  let seed = 1;
  const openapi = new OpenApiChecker();
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;

  const teamJson = (t: Team) => team(org, t);
  const teamFullJson = (t: Team) => teamFull(org, t, { members: [...t.members.values()].filter((m) => m.state === 'active').length });
  const invitationJson = (i: Invitation) =>
    invitation({ id: i.id, login: i.login, role: i.role, teamCount: i.teamIds.length, createdAt: i.created_at }, 'roster-bot');
  const teamBySlug = (slug: string) => [...state.teams.values()].find((t) => t.slug === slug);
  const removeFromOrg = (lower: string) => {
    state.members.delete(lower);
    state.invitations.delete(lower);
    for (const t of state.teams.values()) t.members.delete(lower);
  };

  const handle = (method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): [number, unknown] => {
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    const notFound: [number, unknown] = [404, basicError('Not Found', 404)];
    if (seg[0] === 'users' && seg.length === 2 && method === 'GET') {
      logins.set(userId(seg[1]!), seg[1]!);
      return [200, publicUser(seg[1]!)];
    }
    if (seg[0] !== 'orgs' || seg[1] !== org) return notFound;
    const rest = seg.slice(2);
    const [a, b, c, d] = rest;
    if (a === 'members' && !b && method === 'GET') {
      const role = query.get('role') ?? 'all';
      return [200, [...state.members.values()].filter((m) => role === 'all' || m.role === role).map((m) => simpleUser(m.login))];
    }
    if (a === 'invitations' && !b && method === 'GET') return [200, [...state.invitations.values()].map(invitationJson)];
    if (a === 'invitations' && !b && method === 'POST') {
      const login = logins.get(Number(body.invitee_id));
      if (!login) return notFound;
      const lower = login.toLowerCase();
      if (state.members.has(lower) || state.invitations.has(lower))
        return [
          422,
          {
            message: 'Validation Failed',
            errors: [
              {
                resource: 'OrganizationInvitation',
                code: 'unprocessable',
                message: 'Invitee is already a part of this organization or has a pending invitation',
              },
            ],
            documentation_url: 'https://docs.github.com/rest',
          },
        ];
      const inv: Invitation = {
        id: nextId++,
        login,
        role: String(body.role ?? 'direct_member'),
        teamIds: (body.team_ids as number[] | undefined) ?? [],
        created_at: '2026-11-23T12:00:00Z',
      };
      state.invitations.set(lower, inv);
      for (const t of state.teams.values()) if (inv.teamIds.includes(t.id)) t.members.set(lower, { role: 'member', state: 'pending' });
      return [201, invitationJson(inv)];
    }
    if (a === 'memberships' && b) {
      const lower = b.toLowerCase();
      if (method === 'PUT') {
        const role = body.role === 'admin' ? 'admin' : 'member';
        const m = state.members.get(lower);
        if (m) m.role = role;
        else {
          const inv = state.invitations.get(lower);
          if (inv) inv.role = role === 'admin' ? 'admin' : 'direct_member';
          else
            state.invitations.set(lower, {
              id: nextId++,
              login: b,
              role: role === 'admin' ? 'admin' : 'direct_member',
              teamIds: [],
              created_at: '2026-11-23T12:00:00Z',
            });
        }
        return [200, orgMembership(org, b, role, m ? 'active' : 'pending')];
      }
      if (method === 'DELETE') {
        if (!state.members.has(lower) && !state.invitations.has(lower)) return notFound;
        removeFromOrg(lower);
        return [204, null];
      }
    }
    if (a === 'teams' && !b) {
      if (method === 'GET') return [200, [...state.teams.values()].map(teamJson)];
      if (method === 'POST') {
        const name = String(body.name);
        if ([...state.teams.values()].some((t) => t.name.toLowerCase() === name.toLowerCase() || t.slug === slugify(name)))
          return [
            422,
            {
              message: 'Validation Failed',
              errors: [{ resource: 'Team', code: 'already_exists', field: 'name' }],
              documentation_url: 'https://docs.github.com/rest',
            },
          ];
        const t: Team = {
          id: nextId++,
          name,
          slug: slugify(name),
          description: (body.description as string | undefined) ?? null,
          privacy: String(body.privacy ?? 'secret'),
          members: new Map(),
        };
        state.teams.set(String(t.id), t);
        return [201, teamFullJson(t)];
      }
    }
    if (a === 'teams' && b) {
      const t = teamBySlug(b);
      if (!t) return notFound;
      if (!c) {
        if (method === 'GET') return [200, teamFullJson(t)];
        if (method === 'PATCH') {
          if (typeof body.name === 'string') {
            t.name = body.name;
            t.slug = slugify(body.name);
          }
          if ('description' in body) t.description = (body.description as string | null) ?? null;
          return [200, teamFullJson(t)];
        }
        if (method === 'DELETE') {
          state.teams.delete(String(t.id));
          return [204, null];
        }
      }
      if (c === 'members' && method === 'GET') {
        const role = query.get('role') ?? 'all';
        return [
          200,
          [...t.members]
            .filter(([, m]) => m.state === 'active' && (role === 'all' || m.role === role))
            .map(([lower]) => simpleUser(state.members.get(lower)?.login ?? lower)),
        ];
      }
      if (c === 'invitations' && method === 'GET') {
        return [
          200,
          [...t.members]
            .filter(([, m]) => m.state === 'pending')
            .flatMap(([lower]) => (state.invitations.get(lower) ? [invitationJson(state.invitations.get(lower)!)] : [])),
        ];
      }
      if (c === 'memberships' && d) {
        const lower = d.toLowerCase();
        if (method === 'GET') {
          const m = t.members.get(lower);
          return m ? [200, teamMembership(org, t.slug, d, m.role, m.state)] : notFound;
        }
        if (method === 'PUT') {
          const role = body.role === 'maintainer' ? 'maintainer' : 'member';
          if (!state.members.has(lower) && !state.invitations.has(lower))
            state.invitations.set(lower, { id: nextId++, login: d, role: 'direct_member', teamIds: [t.id], created_at: '2026-11-23T12:00:00Z' });
          const st = state.members.has(lower) ? 'active' : 'pending';
          t.members.set(lower, { role, state: st });
          return [200, teamMembership(org, t.slug, d, role, st)];
        }
        if (method === 'DELETE') {
          if (!t.members.delete(lower)) return notFound;
          return [204, null];
        }
      }
    }
    return notFound;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: GithubServer['log'][number] = {
      method: req.method ?? 'GET',
      path: url.pathname + (url.searchParams.get('role') ? `?role=${url.searchParams.get('role')}` : ''),
    };
    log.push(entry);
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        entry.status = status;
        let sent: unknown;
        try {
          sent = raw ? JSON.parse(raw) : undefined;
        } catch {
          sent = raw;
        }
        openapi.record({ method: req.method ?? 'GET', url: req.url ?? '/', body: sent, status, response: data === null ? undefined : data });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-api-version-selected': '2022-11-28', ...headers });
        res.end(data === null ? '' : JSON.stringify(data));
      };
      const auth = req.headers.authorization ?? '';
      if (auth !== `token ${token}` && auth !== `bearer ${token}` && auth !== `Bearer ${token}`) return send(401, basicError('Bad credentials', 401));
      if (faults) {
        const roll = random();
        if (roll < faults.rate429)
          return send(429, basicError('You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', 429), {
            'retry-after': '0',
          });
        if (roll < faults.rate429 + faults.rate500) return send(500, basicError('Server Error', 500));
      }
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return send(400, basicError('Problems parsing JSON', 400));
      }
      const [status, data] = handle(req.method ?? 'GET', url.pathname, url.searchParams, body);
      if (Array.isArray(data)) {
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
        const page = Number(url.searchParams.get('page') ?? 1);
        const slice = data.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < data.length) {
          const next = new URL(url.toString());
          next.searchParams.set('page', String(page + 1));
          next.searchParams.set('per_page', String(perPage));
          headers.link = `<http://${req.headers.host}${next.pathname}${next.search}>; rel="next"`;
        }
        return send(status, slice, headers);
      }
      send(status, data);
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    token,
    org,
    log,
    state,
    accept: (login) => {
      const lower = login.toLowerCase();
      const inv = state.invitations.get(lower);
      if (!inv) return;
      state.invitations.delete(lower);
      state.members.set(lower, { login: inv.login, role: inv.role === 'admin' ? 'admin' : 'member' });
      for (const t of state.teams.values()) {
        const m = t.members.get(lower);
        if (m) m.state = 'active';
      }
    },
    addMember: (login, role) => state.members.set(login.toLowerCase(), { login, role }),
    setFaults: (f) => {
      faults = f;
      seed = f?.seed ?? 1;
    },
    openapi,
    close: async () => {
      await close();
      openapi.assertClean();
    },
  };
}
