import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../helpers/loopback.ts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface StrictScimOptions {
  /** The most resources a list page holds, whatever `count` asks (RFC 7644 §3.4.2.4 allows fewer); not advertised as filter.maxResults. */
  pageLimit?: number;
  /** How attribute names are spelled in answers (RFC 7643 §2.1: case-insensitive): as the RFC writes them, `UserName`-style, or all lower case. */
  names?: 'canonical' | 'capitalized' | 'lower';
  /** Which PATCH operations are taken: RFC 7644 §3.5.2 allows both forms; some services take only one. */
  patch?: 'any' | 'path-only' | 'pathless-only';
  /** Content-Type of every answer. */
  contentType?: string;
}

export interface StrictRequest {
  method: string;
  url: string;
  accept: string;
  contentType: string;
  body: unknown;
}

type Rec = Record<string, unknown> & { id: string };

const lower = (s: string) => s.toLowerCase();
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The key of `obj` that names `name`, in whatever case it is written. */
const keyOf = (obj: Record<string, unknown>, name: string) => Object.keys(obj).find((k) => lower(k) === lower(name)) ?? name;

/** Rewrites every attribute name of an answer in the chosen spelling (values untouched but `type`, which is not case-exact). */
function spell(value: unknown, names: StrictScimOptions['names']): unknown {
  if (names === 'canonical') return value;
  if (Array.isArray(value)) return value.map((v) => spell(v, names));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = names === 'lower' ? lower(k) : k.startsWith('urn:') ? k.toUpperCase() : k[0]!.toUpperCase() + k.slice(1);
    out[key] = k === 'type' && typeof v === 'string' ? (names === 'lower' ? lower(v) : v.toUpperCase()) : spell(v, names);
  }
  return out;
}

class ScimFault extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string,
    message: string,
  ) {
    super(message);
  }
}

/** Applies one PATCH operation as RFC 7644 §3.5.2 says: names case-insensitive, a complex value merged sub-attribute by sub-attribute. */
function applyOperation(r: Rec, op: { op?: string; path?: string; value?: unknown }, mode: StrictScimOptions['patch']): void {
  const kind = lower(op.op ?? '');
  if (!['add', 'replace', 'remove'].includes(kind)) throw new ScimFault(400, 'invalidSyntax', `unknown op ${op.op}`);
  if (op.path === undefined) {
    if (kind === 'remove') throw new ScimFault(400, 'noTarget', 'remove needs a path');
    if (mode === 'path-only') throw new ScimFault(400, 'invalidPath', 'this service takes add and replace with a path only');
    if (!isObject(op.value)) throw new ScimFault(400, 'invalidValue', 'a path-less operation takes an object of attributes');
    for (const [name, v] of Object.entries(op.value)) setAttribute(r, name, v, kind);
    return;
  }
  if (mode === 'pathless-only' && kind !== 'remove') throw new ScimFault(400, 'invalidPath', 'this service takes add and replace without a path only');
  const filtered = /^(\w+)\[value eq "([^"]*)"\]$/i.exec(op.path);
  if (filtered) {
    const key = keyOf(r, filtered[1]!);
    r[key] = ((r[key] as { value: string }[] | undefined) ?? []).filter((m) => m.value !== filtered[2]);
    return;
  }
  let target: Record<string, unknown> = r;
  let name = op.path;
  if (lower(op.path).startsWith(`${lower(ENTERPRISE)}:`)) {
    const ext = keyOf(r, ENTERPRISE);
    target = isObject(r[ext]) ? r[ext] : (r[ext] = {});
    name = op.path.slice(ENTERPRISE.length + 1);
  } else if (op.path.includes('.')) {
    const [parent, sub] = op.path.split('.') as [string, string];
    const key = keyOf(r, parent);
    target = isObject(r[key]) ? r[key] : (r[key] = {});
    name = sub;
  }
  if (kind === 'remove') delete target[keyOf(target, name)];
  else setAttribute(target, name, op.value, kind);
}

function setAttribute(target: Record<string, unknown>, name: string, value: unknown, kind: string): void {
  const key = keyOf(target, lower(name) === lower(ENTERPRISE) ? ENTERPRISE : name);
  const old = target[key];
  if (isObject(value) && isObject(old)) {
    // Sub-attributes not given are left unchanged (RFC 7644 §3.5.2.1, §3.5.2.3).
    for (const [sub, v] of Object.entries(value)) old[keyOf(old, sub)] = v;
  } else if (kind === 'add' && Array.isArray(value) && Array.isArray(old)) {
    target[key] = [...old, ...value.filter((v) => !old.some((o) => JSON.stringify(o) === JSON.stringify(v)))];
  } else {
    target[key] = value;
  }
}

/**
 * A SCIM 2.0 service that holds Users and Groups in memory and does only
 * what RFC 7643/7644 promise, in the ways the RFCs leave open that
 * services differ on: short pages, attribute names in another case, one
 * PATCH form only, another answer media type. It refuses a request body not
 * sent as application/scim+json (415) and a request that does not accept it
 * (406), and records every request. No /Bulk, ETags, sorting, /Schemas or
 * /ResourceTypes (404: not said).
 */
export async function startStrictScim(options: StrictScimOptions = {}) {
  const { pageLimit = 100, names = 'canonical', patch = 'any', contentType = 'application/scim+json' } = options;
  const token = 'strict-scim-token-7c21';
  const requests: StrictRequest[] = [];
  const stores: Record<string, Map<string, Rec>> = { Users: new Map(), Groups: new Map() };
  let next = 1;

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body === undefined ? undefined : JSON.stringify(spell(body, names)));
  };
  const unique = (type: string) => (type === 'Users' ? 'userName' : 'displayName');
  const matches = (r: Rec, filter: string | null) => {
    if (!filter) return true;
    const m = /^(\w+) eq "(.*)"$/i.exec(filter);
    if (!m) throw new ScimFault(400, 'invalidFilter', `filter ${filter} is not supported`);
    const v = r[keyOf(r, m[1]!)];
    return typeof v === 'string' && (lower(m[1]!) === 'externalid' ? v === m[2] : lower(v) === lower(m[2]!));
  };

  function handle(req: IncomingMessage, text: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, type, id] = url.pathname.split('/') as [string, string, string | undefined];
    if (req.headers.authorization !== `Bearer ${token}`) throw new ScimFault(401, 'invalidToken', 'no valid bearer token');
    if (!/application\/scim\+json/i.test(req.headers.accept ?? '')) throw new ScimFault(406, 'invalidSyntax', 'this service answers application/scim+json');
    if (text && !/^application\/scim\+json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
      throw new ScimFault(415, 'invalidSyntax', 'send application/scim+json');
    if (req.method === 'GET' && url.pathname === '/ServiceProviderConfig') {
      return send(res, 200, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: false },
        filter: { supported: true },
        etag: { supported: false },
        sort: { supported: false },
      });
    }
    const store = stores[type];
    if (!store) throw new ScimFault(404, 'invalidPath', `no ${url.pathname}`);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (req.method === 'GET' && !id) {
      const all = [...store.values()].filter((r) => matches(r, url.searchParams.get('filter')));
      const start = Math.max(1, Number(url.searchParams.get('startIndex') ?? 1));
      const count = Math.min(Number(url.searchParams.get('count') ?? pageLimit), pageLimit);
      const page = all.slice(start - 1, start - 1 + count);
      return send(res, 200, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: all.length,
        startIndex: start,
        itemsPerPage: page.length,
        Resources: page,
      });
    }
    if (req.method === 'POST' && !id) {
      const key = unique(type);
      const value = body[keyOf(body, key)];
      if ([...store.values()].some((r) => lower(String(r[key])) === lower(String(value))))
        throw new ScimFault(409, 'uniqueness', `${key} ${String(value)} exists`);
      const rec: Rec = { ...body, id: String(next++), meta: { resourceType: type.slice(0, -1) } };
      store.set(rec.id, rec);
      return send(res, 201, rec);
    }
    const rec = id ? store.get(id) : undefined;
    if (!rec) throw new ScimFault(404, 'invalidValue', `no ${url.pathname}`);
    if (req.method === 'GET') return send(res, 200, rec);
    if (req.method === 'DELETE') return (store.delete(rec.id), send(res, 204));
    if (req.method !== 'PATCH') throw new ScimFault(405, 'invalidSyntax', `${req.method} not supported`);
    // All operations or none (RFC 7644 §3.5.2).
    const copy = structuredClone(rec);
    for (const op of (body[keyOf(body, 'Operations')] as object[] | undefined) ?? []) applyOperation(copy, op, patch);
    store.set(rec.id, copy);
    return send(res, 200, copy);
  }

  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        accept: req.headers.accept ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: text ? JSON.parse(text) : undefined,
      });
      try {
        handle(req, text, res);
      } catch (e) {
        const f = e instanceof ScimFault ? e : new ScimFault(500, 'invalidSyntax', (e as Error).message);
        send(res, f.status, { schemas: [ERROR], status: String(f.status), scimType: f.scimType, detail: f.message });
      }
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, token, requests, users: stores.Users!, groups: stores.Groups!, close };
}
