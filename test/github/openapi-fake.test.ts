import { afterEach, describe, expect, it } from 'vitest';
import { OctokitGitHub } from '../../src/github/octokit.ts';
import { check } from '../helpers/github-openapi.ts';
import { fullDescription, refsIn, SERVED, slimDescription, type Json } from '../helpers/github-openapi-description.ts';
import { FakeGitHub } from '../fakes/github-server.ts';
import { publicUser, simpleUser } from '../fakes/github-shapes.ts';

const TOKEN = 'ghs_TESTTOKEN0123456789abcdefghijklmnopq';

let github: FakeGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

describe("the GitHub test servers are checked against GitHub's OpenAPI description", () => {
  it('catches a deliberately wrong answer, naming the operation and the JSON pointer', async () => {
    github = await new FakeGitHub(TOKEN).start();
    // A pull request whose number is a string, with no head: GitHub never answers that.
    github.failures.push({ status: 200, body: { number: '12', title: 'x', user: null } });
    const api = new OctokitGitHub({ token: TOKEN, repository: 'acme/people', apiUrl: github.url, retryBaseMs: 1 });
    await api.getPullRequest(12).catch(() => undefined);
    expect(github.openapi.violations).toContain('pulls/get (GET /repos/{owner}/{repo}/pulls/{pull_number}): 200 response body #/number: must be integer');
    expect(github.openapi.violations).toContain(
      "pulls/get (GET /repos/{owner}/{repo}/pulls/{pull_number}): 200 response body #: must have required property 'head'",
    );
    expect(() => github!.openapi.assertClean()).toThrow(/departs from GitHub's OpenAPI description[\s\S]*pulls\/get .*#\/number: must be integer/);
    // assertClean reports each violation once, then starts afresh.
    expect(() => github!.openapi.assertClean()).not.toThrow();
  });

  it('passes what GitHub documents', () => {
    expect(check({ method: 'GET', url: '/users/octocat', body: undefined, status: 200, response: publicUser('octocat') })).toEqual([]);
    expect(
      check({ method: 'GET', url: '/orgs/acme/members?role=admin&per_page=100&page=2', body: undefined, status: 200, response: [simpleUser('octocat')] }),
    ).toEqual([]);
    expect(check({ method: 'DELETE', url: '/orgs/acme/memberships/octocat', body: undefined, status: 204, response: undefined })).toEqual([]);
  });

  it('catches requests GitHub would refuse or ignore', () => {
    const op = 'issues/create-comment (POST /repos/{owner}/{repo}/issues/{issue_number}/comments)';
    const comment = (body: unknown, url = '/repos/acme/people/issues/4/comments') =>
      check({ method: 'POST', url, body, status: 404, response: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } });
    expect(comment({ text: 'hi' })).toEqual([`${op}: request body #: must have required property 'body'`]);
    expect(comment(undefined)).toEqual([`${op}: request body is required`]);
    expect(comment({ body: 'hi' }, '/repos/acme/people/issues/four/comments')).toEqual([`${op}: request path parameter issue_number: must be integer`]);
    expect(check({ method: 'GET', url: '/users/octocat?org=acme', body: undefined, status: 200, response: publicUser('octocat') })).toEqual([
      'users/get-by-username (GET /users/{username}): request query parameter org is not one GitHub takes',
    ]);
    expect(check({ method: 'GET', url: '/orgs/acme/members?role=owner', body: undefined, status: 200, response: [] })[0]).toMatch(
      /^orgs\/list-members .*: request query parameter role: must be equal to one of the allowed values/,
    );
    expect(check({ method: 'POST', url: '/nowhere', body: undefined, status: 404, response: undefined })).toEqual([
      "POST /nowhere: no such operation in GitHub's REST API",
    ]);
  });

  it('catches answers GitHub does not give', () => {
    expect(check({ method: 'DELETE', url: '/orgs/acme/memberships/octocat', body: undefined, status: 204, response: { ok: true } })).toEqual([
      "orgs/remove-membership-for-user (DELETE /orgs/{org}/memberships/{username}): 204 response has a body; GitHub's has none",
    ]);
    expect(check({ method: 'DELETE', url: '/orgs/acme/memberships/octocat', body: undefined, status: 201, response: undefined })[0]).toMatch(
      /: 201 is not an answer GitHub documents for this operation/,
    );
    const { url: _url, ...noUrl } = simpleUser('octocat');
    expect(check({ method: 'GET', url: '/orgs/acme/members', body: undefined, status: 200, response: [noUrl] })).toEqual([
      "orgs/list-members (GET /orgs/{org}/members): 200 response body #/0: must have required property 'url'",
    ]);
  });
});

describe('the slim description the checks load', () => {
  it('holds every operation the test servers serve, and what they reference, as the full description has them', () => {
    const full = fullDescription();
    const slim = slimDescription();
    // The same route list, so a request is matched to the same operation.
    expect(slim.routes).toEqual(full.routes);
    const kept = Object.entries(slim.paths as Record<string, Json>).flatMap(([template, item]) =>
      Object.keys(item)
        .filter((k) => k !== 'parameters')
        .map((m) => `${m.toUpperCase()} ${template}`),
    );
    expect(kept.sort()).toEqual([...SERVED].sort());
    for (const served of SERVED) {
      const [method, template] = served.split(' ') as [string, string];
      const item = (d: typeof slim) => (d.paths as Record<string, Json>)[template]!;
      const [slimItem, fullItem] = [item(slim), item(full)];
      expect(slimItem[method.toLowerCase()], served).toEqual(fullItem[method.toLowerCase()]);
      expect(slimItem.parameters, served).toEqual(fullItem.parameters);
    }
    for (const [kind, named] of Object.entries(slim.components as Record<string, Json>)) {
      for (const [name, value] of Object.entries(named)) expect(value, `#/components/${kind}/${name}`).toEqual((full.components[kind] as Json)[name]);
    }
    // Nothing it refers to is missing from it.
    for (const ref of new Set(refsIn(slim))) expect((slim.components[ref.split('/')[2]!] as Json | undefined)?.[ref.split('/')[3]!], ref).toBeDefined();
  });

  it('still refuses an operation GitHub does not have, and checks one the servers do not serve against the full description', () => {
    expect(check({ method: 'GET', url: '/orgs/acme/teams/devs/nowhere', body: undefined, status: 404, response: undefined })).toEqual([
      "GET /orgs/acme/teams/devs/nowhere: no such operation in GitHub's REST API",
    ]);
    expect(SERVED).not.toContain('DELETE /orgs/{org}/members/{username}');
    expect(check({ method: 'DELETE', url: '/orgs/acme/members/octocat', body: undefined, status: 204, response: undefined })).toEqual([]);
    expect(check({ method: 'DELETE', url: '/orgs/acme/members/octocat?page=x', body: { a: 1 }, status: 200, response: { ok: true } })).toEqual([
      'orgs/remove-member (DELETE /orgs/{org}/members/{username}): request query parameter page is not one GitHub takes',
      'orgs/remove-member (DELETE /orgs/{org}/members/{username}): request has a body; the operation takes none',
      'orgs/remove-member (DELETE /orgs/{org}/members/{username}): 200 is not an answer GitHub documents for this operation (documented: 204, 403)',
    ]);
  });
});
