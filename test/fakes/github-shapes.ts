/**
 * GitHub's REST objects as GitHub answers them (every property its OpenAPI
 * description requires), for the local GitHub test servers. The servers'
 * traffic is checked against that description (test/helpers/github-openapi.ts), so a
 * shape missing here fails the test that used it.
 */
const API = 'https://api.github.com';
const WEB = 'https://github.com';
const STAMP = '2026-11-23T12:00:00Z';

export const idOf = (text: string): number => [...text.toLowerCase()].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 2_000_000_000, 7);

/** simple-user */
export function simpleUser(login: string, type: 'User' | 'Bot' = 'User', id = idOf(login)) {
  const u = `${API}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `${WEB}/avatars/${id}`,
    gravatar_id: '',
    url: u,
    html_url: `${WEB}/${encodeURIComponent(login)}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type,
    site_admin: false,
  };
}

/** public-user: what GET /users/{username} answers about someone else. */
export function publicUser(login: string) {
  return {
    ...simpleUser(login),
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: STAMP,
    updated_at: STAMP,
  };
}

function orgUrls(org: string) {
  const u = `${API}/orgs/${org}`;
  return {
    login: org,
    id: idOf(org),
    node_id: `O_${idOf(org)}`,
    url: u,
    repos_url: `${u}/repos`,
    events_url: `${u}/events`,
    hooks_url: `${u}/hooks`,
    issues_url: `${u}/issues`,
    members_url: `${u}/members{/member}`,
    public_members_url: `${u}/public_members{/member}`,
    avatar_url: `${WEB}/avatars/o/${idOf(org)}`,
    description: null,
  };
}

/** organization-simple */
export const organizationSimple = (org: string) => orgUrls(org);

/** team-organization: the organization inside a team-full. */
export function teamOrganization(org: string) {
  return {
    ...orgUrls(org),
    html_url: `${WEB}/${org}`,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    type: 'Organization',
    created_at: STAMP,
    updated_at: STAMP,
    archived_at: null,
  };
}

export interface TeamFields {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  privacy: string;
}

/** team (list entries) */
export function team(org: string, t: TeamFields) {
  const u = `${API}/orgs/${org}/teams/${t.slug}`;
  return {
    id: t.id,
    node_id: `T_${t.id}`,
    url: u,
    html_url: `${WEB}/orgs/${org}/teams/${t.slug}`,
    name: t.name,
    slug: t.slug,
    description: t.description,
    privacy: t.privacy,
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${u}/members{/member}`,
    repositories_url: `${u}/repos`,
    parent: null,
    type: 'organization',
  };
}

/** team-full: what creating, reading and changing one team answer. */
export function teamFull(org: string, t: TeamFields, counts: { members: number }) {
  const { parent: _parent, ...base } = team(org, t);
  return { ...base, created_at: STAMP, updated_at: STAMP, members_count: counts.members, repos_count: 0, organization: teamOrganization(org) };
}

export interface InvitationFields {
  id: number;
  login: string;
  role: string;
  teamCount: number;
  createdAt: string;
}

/** organization-invitation */
export function invitation(i: InvitationFields, inviter: string) {
  return {
    id: i.id,
    node_id: `OI_${i.id}`,
    login: i.login,
    email: null,
    role: i.role,
    created_at: i.createdAt,
    failed_at: null,
    failed_reason: null,
    inviter: simpleUser(inviter),
    team_count: i.teamCount,
    invitation_teams_url: `${API}/organizations/1/invitations/${i.id}/teams`,
    invitation_source: 'member',
  };
}

/** team-membership */
export function teamMembership(org: string, slug: string, login: string, role: string, state: string) {
  return { url: `${API}/orgs/${org}/teams/${slug}/memberships/${encodeURIComponent(login)}`, role, state };
}

/** org-membership */
export function orgMembership(org: string, login: string, role: string, state: string) {
  return {
    url: `${API}/orgs/${org}/memberships/${encodeURIComponent(login)}`,
    state,
    role,
    organization_url: `${API}/orgs/${org}`,
    organization: organizationSimple(org),
    user: simpleUser(login),
  };
}

/** basic-error, as GitHub's error answers carry it. */
export function basicError(message: string, status: number) {
  return { message, documentation_url: 'https://docs.github.com/rest', status: String(status) };
}

/** repository: the repository a pull request's head and base are in. */
export function repository(fullName: string) {
  const [owner, name] = fullName.split('/') as [string, string];
  const u = `${API}/repos/${fullName}`;
  const urls = Object.fromEntries(
    [
      'archive_url:/{archive_format}{/ref}',
      'assignees_url:/assignees{/user}',
      'blobs_url:/git/blobs{/sha}',
      'branches_url:/branches{/branch}',
      'collaborators_url:/collaborators{/collaborator}',
      'comments_url:/comments{/number}',
      'commits_url:/commits{/sha}',
      'compare_url:/compare/{base}...{head}',
      'contents_url:/contents/{+path}',
      'contributors_url:/contributors',
      'deployments_url:/deployments',
      'downloads_url:/downloads',
      'events_url:/events',
      'forks_url:/forks',
      'git_commits_url:/git/commits{/sha}',
      'git_refs_url:/git/refs{/sha}',
      'git_tags_url:/git/tags{/sha}',
      'hooks_url:/hooks',
      'issue_comment_url:/issues/comments{/number}',
      'issue_events_url:/issues/events{/number}',
      'issues_url:/issues{/number}',
      'keys_url:/keys{/key_id}',
      'labels_url:/labels{/name}',
      'languages_url:/languages',
      'merges_url:/merges',
      'milestones_url:/milestones{/number}',
      'notifications_url:/notifications{?since,all,participating}',
      'pulls_url:/pulls{/number}',
      'releases_url:/releases{/id}',
      'stargazers_url:/stargazers',
      'statuses_url:/statuses/{sha}',
      'subscribers_url:/subscribers',
      'subscription_url:/subscription',
      'tags_url:/tags',
      'teams_url:/teams',
      'trees_url:/git/trees{/sha}',
    ].map((x) => {
      const [k, suffix] = x.split(':') as [string, string];
      return [k, u + suffix];
    }),
  );
  return {
    id: idOf(fullName),
    node_id: `R_${idOf(fullName)}`,
    name,
    full_name: fullName,
    owner: simpleUser(owner),
    private: true,
    html_url: `${WEB}/${fullName}`,
    description: null,
    fork: false,
    url: u,
    ...urls,
    clone_url: `${WEB}/${fullName}.git`,
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    svn_url: `${WEB}/${fullName}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 1,
    default_branch: 'main',
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: STAMP,
    created_at: STAMP,
    updated_at: STAMP,
  };
}

/** label; an empty description, not null: the labels inside pull-request-simple may not be null there. */
export function label(fullName: string, name: string) {
  const id = idOf(name);
  return {
    id,
    node_id: `LA_${id}`,
    url: `${API}/repos/${fullName}/labels/${encodeURIComponent(name)}`,
    name,
    description: '',
    color: 'd73a4a',
    default: false,
  };
}

export interface PullFields {
  number: number;
  title: string;
  author: string;
  headSha: string;
  baseSha: string;
  mergeCommitSha: string | null;
  merged: boolean;
  labels: string[];
}

/** pull-request-simple: what a list of pull requests holds. */
export function pullRequestSimple(fullName: string, p: PullFields) {
  const u = `${API}/repos/${fullName}/pulls/${p.number}`;
  const issue = `${API}/repos/${fullName}/issues/${p.number}`;
  const html = `${WEB}/${fullName}/pull/${p.number}`;
  const repo = repository(fullName);
  const owner = fullName.split('/')[0]!;
  return {
    url: u,
    id: 5000 + p.number,
    node_id: `PR_${p.number}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${u}/commits`,
    review_comments_url: `${u}/comments`,
    review_comment_url: `${API}/repos/${fullName}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${API}/repos/${fullName}/statuses/${p.headSha}`,
    number: p.number,
    state: p.merged ? 'closed' : 'open',
    locked: false,
    title: p.title,
    user: simpleUser(p.author),
    body: null,
    labels: p.labels.map((name) => label(fullName, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: STAMP,
    updated_at: STAMP,
    closed_at: p.merged ? '2026-11-23T11:00:00Z' : null,
    merged_at: p.merged ? '2026-11-23T11:00:00Z' : null,
    merge_commit_sha: p.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${owner}:feature-${p.number}`, ref: `feature-${p.number}`, sha: p.headSha, user: simpleUser(owner), repo },
    base: { label: `${owner}:main`, ref: 'main', sha: p.baseSha, user: simpleUser(owner), repo },
    _links: {
      self: { href: u },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${u}/comments` },
      review_comment: { href: `${API}/repos/${fullName}/pulls/comments{/number}` },
      commits: { href: `${u}/commits` },
      statuses: { href: `${API}/repos/${fullName}/statuses/${p.headSha}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: false,
  };
}

/** pull-request: what reading one pull request answers. */
export function pullRequest(fullName: string, p: PullFields) {
  return {
    ...pullRequestSimple(fullName, p),
    merged: p.merged,
    mergeable: p.merged ? null : true,
    rebaseable: null,
    mergeable_state: p.merged ? 'unknown' : 'clean',
    merged_by: p.merged ? simpleUser(p.author) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  };
}

/** issue-comment */
export function issueComment(fullName: string, c: { id: number; issue: number; body: string; login: string }) {
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${API}/repos/${fullName}/issues/comments/${c.id}`,
    html_url: `${WEB}/${fullName}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${API}/repos/${fullName}/issues/${c.issue}`,
    body: c.body,
    user: simpleUser(c.login, c.login.endsWith('[bot]') ? 'Bot' : 'User', 41898282),
    created_at: STAMP,
    updated_at: STAMP,
    author_association: 'NONE',
  };
}

/** pull-request-review */
export function review(fullName: string, r: { id: number; pr: number; reviewer: string; state: string; commitId: string; submittedAt: string }) {
  const html = `${WEB}/${fullName}/pull/${r.pr}#pullrequestreview-${r.id}`;
  return {
    id: r.id,
    node_id: `PRR_${r.id}`,
    user: simpleUser(r.reviewer),
    body: '',
    state: r.state,
    html_url: html,
    pull_request_url: `${API}/repos/${fullName}/pulls/${r.pr}`,
    _links: { html: { href: html }, pull_request: { href: `${API}/repos/${fullName}/pulls/${r.pr}` } },
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
    author_association: 'MEMBER',
  };
}

/** labeled-issue-event / unlabeled-issue-event */
export function labelEvent(fullName: string, e: { id: number; event: string; label: string; actor: string; createdAt: string }) {
  return {
    id: e.id,
    node_id: `LE_${e.id}`,
    url: `${API}/repos/${fullName}/issues/events/${e.id}`,
    actor: simpleUser(e.actor),
    event: e.event,
    commit_id: null,
    commit_url: null,
    created_at: e.createdAt,
    label: { name: e.label, color: 'd73a4a' },
    performed_via_github_app: null,
  };
}

/** issue; `pullRequest` marks the issue entries that are pull requests. */
export function issue(fullName: string, i: { number: number; title: string; body: string; state: string; labels: string[]; pullRequest?: boolean }) {
  const u = `${API}/repos/${fullName}/issues/${i.number}`;
  return {
    id: 9000 + i.number,
    node_id: `I_${i.number}`,
    url: u,
    repository_url: `${API}/repos/${fullName}`,
    labels_url: `${u}/labels{/name}`,
    comments_url: `${u}/comments`,
    events_url: `${u}/events`,
    html_url: `${WEB}/${fullName}/issues/${i.number}`,
    number: i.number,
    state: i.state,
    title: i.title,
    body: i.body,
    user: simpleUser('github-actions[bot]', 'Bot', 41898282),
    labels: i.labels.map((name) => label(fullName, name)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: 0,
    closed_at: i.state === 'closed' ? STAMP : null,
    created_at: STAMP,
    updated_at: STAMP,
    author_association: 'NONE',
    ...(i.pullRequest && {
      pull_request: {
        url: `${API}/repos/${fullName}/pulls/${i.number}`,
        html_url: `${WEB}/${fullName}/pull/${i.number}`,
        diff_url: `${WEB}/${fullName}/pull/${i.number}.diff`,
        patch_url: `${WEB}/${fullName}/pull/${i.number}.patch`,
        merged_at: null,
      },
    }),
  };
}
