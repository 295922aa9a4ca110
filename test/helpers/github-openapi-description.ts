import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * GitHub's OpenAPI description for the checks in github-openapi.ts, read
 * once per `@octokit/openapi` version instead of once per test file. The
 * full description is ~13 MB of JSON; parsing and walking it cost every test
 * file that starts a GitHub test server about half a second of CPU before it
 * checked anything. The slim description keeps, at the same JSON pointers,
 * the operations the test servers serve (SERVED) and every component they
 * reach through `$ref`s, so the same schemas compile to the same validators;
 * it is cached under node_modules/.cache/roster, keyed by the package's
 * version and this file's text. Its route list names every operation GitHub
 * has, so a request is matched exactly as against the full description, and
 * one to an operation outside SERVED is checked against the full one.
 */
export const DESCRIPTION = '@octokit/openapi/generated/api.github.com.json';

export type Json = Record<string, unknown>;

/** The operations the test servers (test/fakes/github-server.ts, github-org-server.ts) answer; add one when a server learns it. */
export const SERVED: readonly string[] = [
  'GET /users/{username}',
  'GET /orgs/{org}/members',
  'GET /orgs/{org}/invitations',
  'POST /orgs/{org}/invitations',
  'PUT /orgs/{org}/memberships/{username}',
  'DELETE /orgs/{org}/memberships/{username}',
  'GET /orgs/{org}/teams',
  'POST /orgs/{org}/teams',
  'GET /orgs/{org}/teams/{team_slug}',
  'PATCH /orgs/{org}/teams/{team_slug}',
  'DELETE /orgs/{org}/teams/{team_slug}',
  'GET /orgs/{org}/teams/{team_slug}/members',
  'GET /orgs/{org}/teams/{team_slug}/invitations',
  'GET /orgs/{org}/teams/{team_slug}/memberships/{username}',
  'PUT /orgs/{org}/teams/{team_slug}/memberships/{username}',
  'DELETE /orgs/{org}/teams/{team_slug}/memberships/{username}',
  'GET /repos/{owner}/{repo}/issues',
  'POST /repos/{owner}/{repo}/issues',
  'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/events',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
  'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
];

/** Schemas every operation's answer may be checked against (github-openapi.ts's ANY_OPERATION statuses). */
const ALWAYS = ['#/components/schemas/basic-error'];

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** One operation GitHub documents: "GET /users/{username}" and its id, in the description's order. */
export interface Route {
  method: string;
  template: string;
  id: string;
}

/** A description reduced to what the checks read, with the route list of the full one. */
export interface Description {
  routes: Route[];
  paths: Json;
  components: Json;
}

const resolveInPackage = (path: string) => createRequire(import.meta.url).resolve(path);

/** The full description, as the package ships it (paths and components; the webhooks are unused). */
export function fullDescription(): Description {
  const full = JSON.parse(readFileSync(resolveInPackage(DESCRIPTION), 'utf8')) as Json;
  const paths = full.paths as Record<string, Json>;
  const routes = Object.entries(paths).flatMap(([template, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), template, id: String((item[m] as Json).operationId) })),
  );
  return { routes, paths, components: full.components as Json };
}

/** The slim description from the cache, made from the full one first if the cache lacks it. */
export function slimDescription(): Description {
  const file = cacheFile();
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Description;
  } catch {
    const slim = reduce(fullDescription());
    mkdirSync(dirname(file), { recursive: true });
    // Two test workers may make it at once: each writes its own file and renames it into place whole.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(slim));
    renameSync(tmp, file);
    return slim;
  }
}

function cacheFile(): string {
  const pkg = resolveInPackage('@octokit/openapi/package.json');
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
  const key = createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex')
    .slice(0, 16);
  const nodeModules = dirname(dirname(dirname(pkg)));
  return join(nodeModules, '.cache', 'roster', `github-openapi-${version}-${key}.json`);
}

/** The SERVED operations of `full`, their path items' parameters, and the components they reach. */
function reduce(full: Description): Description {
  const paths: Record<string, Json> = {};
  const refs: string[] = [...ALWAYS];
  for (const served of SERVED) {
    const [method, template] = served.split(' ') as [string, string];
    const item = (full.paths as Record<string, Json | undefined>)[template];
    const node = item?.[method.toLowerCase()] as Json | undefined;
    if (!item || !node) throw new Error(`${served} is not an operation in ${DESCRIPTION}`);
    const kept = (paths[template] ??= item.parameters ? { parameters: item.parameters } : {});
    kept[method.toLowerCase()] = node;
    refs.push(...refsIn(item.parameters), ...refsIn(node));
  }
  const components: Record<string, Json> = {};
  const seen = new Set<string>();
  for (let ref = refs.pop(); ref !== undefined; ref = refs.pop()) {
    if (seen.has(ref)) continue;
    seen.add(ref);
    const [, , kind, name] = ref.split('/') as [string, string, string, string];
    const target = (full.components[kind] as Record<string, unknown>)[name];
    if (target === undefined) throw new Error(`${ref} is not in ${DESCRIPTION}`);
    (components[kind] ??= {})[name] = target;
    refs.push(...refsIn(target));
  }
  return { routes: full.routes, paths, components };
}

/** Every `$ref` under `node` (all are "#/components/KIND/NAME" in GitHub's description). */
export function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const v of node) refsIn(v, found);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refsIn(v, found);
    }
  }
  return found;
}
