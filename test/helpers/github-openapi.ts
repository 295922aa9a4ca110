import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { DESCRIPTION, fullDescription, SERVED, slimDescription, type Description, type Json } from './github-openapi-description.ts';

/**
 * Checks requests to and answers from the local GitHub test servers against
 * GitHub's own OpenAPI description (the api.github.com description that
 * `@octokit/openapi` ships), so the fakes cannot drift from GitHub and
 * roster cannot send what GitHub would refuse. A request is matched to its
 * operation by method and path template; its path and query parameters and
 * JSON body are validated against the operation, the answer's body against
 * the schema of the answer for its status. Every mismatch is one line naming
 * the operation and the JSON pointer.
 */
export { DESCRIPTION };

interface Route {
  id: string;
  method: string;
  template: string;
  regex: RegExp;
  params: number;
  pointer: string;
  /** In the slim description (github-openapi-description.ts); any other is checked against the full one. */
  served: boolean;
}
interface Checked {
  doc: Json;
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
}

/** GitHub answers these for any operation (auth, rate limits, outages) whether or not the operation lists them. */
const ANY_OPERATION = new Set([401, 403, 429, 500, 502, 503, 504]);

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let routes: Route[] | undefined;
let slim: Checked | undefined;
let full: Checked | undefined;

/** Every operation GitHub documents, in the order a request is matched against them. */
function allRoutes(): Route[] {
  if (routes) return routes;
  const description = slimDescription();
  slim = checked(description);
  const served = new Set(SERVED);
  routes = description.routes.map(({ method, template, id }) => ({
    id,
    method,
    template,
    regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/]+)')}$`),
    params: (template.match(/\{/g) ?? []).length,
    pointer: `/paths/${escape(template)}/${method.toLowerCase()}`,
    served: served.has(`${method} ${template}`),
  }));
  // A literal segment beats a parameter: /orgs/{org}/teams before /orgs/{org}/{anything}.
  routes.sort((a, b) => a.params - b.params);
  return routes;
}

/** The description a route is checked against, with its validators. */
function descriptionOf(route: Route): Checked {
  allRoutes();
  return route.served ? slim! : (full ??= checked(fullDescription()));
}

function checked({ paths, components }: Description): Checked {
  // Only what requests and answers refer to; the webhooks section is as large again and unused.
  const doc: Json = { paths, components };
  openApiNullable(doc);
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addSchema(doc, 'gh');
  return { doc, ajv, validators: new Map() };
}

/**
 * Two readings of the description that JSON Schema needs spelled out:
 * OpenAPI 3.0's `nullable` without a `type` (beside allOf / $ref), which ajv
 * refuses, becomes "that schema, or null"; and `oneOf` is read as `anyOf`,
 * because GitHub's variants overlap (a labeled and an unlabeled issue event
 * have the same schema, told apart by the value of `event` alone), so an
 * answer GitHub itself sends would match "more than one".
 */
function openApiNullable(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(openApiNullable);
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  for (const v of Object.values(o)) openApiNullable(v);
  if (Array.isArray(o.oneOf) && !o.anyOf) {
    o.anyOf = o.oneOf;
    delete o.oneOf;
  }
  if (o.nullable === true && o.type === undefined) {
    const rest = { ...o };
    delete rest.nullable;
    for (const k of Object.keys(o)) delete o[k];
    o.anyOf = [rest, { type: 'null' }];
  }
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The object at a JSON pointer, following `$ref`s; returns it and where it really is. */
function at(doc: Json, pointer: string): { node: Json; pointer: string } {
  let node: unknown = doc;
  for (const part of pointer.split('/').slice(1)) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  const ref = (node as Json | undefined)?.$ref;
  return typeof ref === 'string' ? at(doc, ref.slice(1)) : { node: node as Json, pointer };
}

/** A route's operation and path item parameters in the description it is checked against, and that description's validators. */
function operation(route: Route) {
  const described = descriptionOf(route);
  const item = at(described.doc, `/paths/${escape(route.template)}`).node;
  const node = item[route.method.toLowerCase()] as Json;
  return {
    doc: described.doc,
    node,
    pathParameters: (item.parameters as Json[] | undefined) ?? [],
    validator: (pointer: string) => validator(described, pointer),
  };
}

function validator({ ajv, validators }: Checked, pointer: string): ValidateFunction {
  let v = validators.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: `gh#${pointer.split('/').map(encodeURIComponent).join('/')}` });
    validators.set(pointer, v);
  }
  return v;
}

function errors(v: ValidateFunction, value: unknown, where: string): string[] {
  if (v(value)) return [];
  return (v.errors ?? []).map(
    (e) =>
      `${where}${e.instancePath || ''}: ${e.message}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}${e.keyword === 'enum' ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`,
  );
}

/** A query or path parameter's text as the type its schema says, so "100" is checked as the integer 100. */
function coerce(text: string, schema: Json | undefined): unknown {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

export interface Exchange {
  method: string;
  /** Path and query, as the request line had them. */
  url: string;
  /** The parsed JSON body, undefined when there was none. */
  body: unknown;
  status: number;
  /** The parsed JSON answer, undefined when the answer had no body. */
  response: unknown;
}

/** Every way this request and its answer depart from GitHub's description; empty when they match it. */
export function check(x: Exchange): string[] {
  const url = new URL(x.url, 'http://127.0.0.1');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const op = allRoutes().find((o) => o.method === x.method && o.regex.test(path));
  if (!op) return [`${x.method} ${path}: no such operation in GitHub's REST API`];
  const { doc, node, pathParameters, validator } = operation(op);
  const name = `${op.id} (${op.method} ${op.template})`;
  const problems: string[] = [];
  const resolved = [
    ...pathParameters.map((_, i) => at(doc, `/paths/${escape(op.template)}/parameters/${i}`)),
    ...((node.parameters as Json[] | undefined) ?? []).map((_, i) => at(doc, `${op.pointer}/parameters/${i}`)),
  ];
  const values = op.regex.exec(path)!.slice(1).map(decodeURIComponent);
  const names = [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  for (const { node: p, pointer } of resolved) {
    const text = p.in === 'path' ? values[names.indexOf(String(p.name))] : p.in === 'query' ? (url.searchParams.get(String(p.name)) ?? undefined) : undefined;
    if (text === undefined) {
      if (p.required && (p.in === 'path' || p.in === 'query')) problems.push(`${name}: request ${p.in} parameter ${String(p.name)} is required`);
      continue;
    }
    problems.push(...errors(validator(`${pointer}/schema`), coerce(text, p.schema as Json), `${name}: request ${p.in} parameter ${String(p.name)}`));
  }
  const known = new Set(resolved.filter((r) => r.node.in === 'query').map((r) => String(r.node.name)));
  for (const key of new Set(url.searchParams.keys())) if (!known.has(key)) problems.push(`${name}: request query parameter ${key} is not one GitHub takes`);

  if (node.requestBody) {
    const { node: rb, pointer } = at(doc, `${op.pointer}/requestBody`);
    if (x.body === undefined) {
      if (rb.required) problems.push(`${name}: request body is required`);
    } else if ((rb.content as Json | undefined)?.['application/json']) {
      problems.push(...errors(validator(`${pointer}/content/application~1json/schema`), x.body, `${name}: request body #`));
    }
  } else if (x.body !== undefined) {
    problems.push(`${name}: request has a body; the operation takes none`);
  }

  const responses = node.responses as Json;
  const key = String(x.status) in responses ? String(x.status) : 'default' in responses ? 'default' : undefined;
  if (!key) {
    if (ANY_OPERATION.has(x.status)) problems.push(...errors(validator('/components/schemas/basic-error'), x.response, `${name}: ${x.status} response body #`));
    else problems.push(`${name}: ${x.status} is not an answer GitHub documents for this operation (documented: ${Object.keys(responses).join(', ')})`);
    return problems;
  }
  const { node: answer, pointer } = at(doc, `${op.pointer}/responses/${key}`);
  const content = answer.content as Json | undefined;
  const media = content && Object.keys(content).find((k) => k.includes('json'));
  if (!media) {
    if (x.response !== undefined) problems.push(`${name}: ${x.status} response has a body; GitHub's has none`);
  } else if ((content![media] as Json).schema) {
    problems.push(...errors(validator(`${pointer}/content/${escape(media)}/schema`), x.response, `${name}: ${x.status} response body #`));
  }
  return problems;
}

/** Collects the violations of one server's traffic; a test asserts none in afterEach. */
export class OpenApiChecker {
  readonly violations: string[] = [];

  record(x: Exchange): void {
    for (const v of check(x)) if (!this.violations.includes(v)) this.violations.push(v);
  }

  /** Throws with every violation seen since the last call, then starts afresh. */
  assertClean(): void {
    const found = this.violations.splice(0);
    if (found.length) throw new Error(`the GitHub test server's traffic departs from GitHub's OpenAPI description (${DESCRIPTION}):\n  ${found.join('\n  ')}`);
  }
}
