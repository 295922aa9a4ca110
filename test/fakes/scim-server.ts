import { createServer } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import SCIMMYRouters, { SCIMMY } from 'scimmy-routers';
import { listenOnLoopback } from '../helpers/loopback.ts';

/**
 * An in-process SCIM 2.0 service built on the scimmy library, made to behave
 * like a compliant service where scimmy does not (DESIGN §9): pagination
 * works under Express 5, userName and displayName filters are
 * case-insensitive, every resource has a version sent as an ETag and
 * checked against If-Match (412 when stale, also inside /Bulk), and
 * uniqueness violations answer 409. It counts requests and can inject faults.
 */
export interface ScimServerOptions {
  token?: string;
  /** Advertise /Bulk with these limits, or not at all. */
  bulk?: { maxOperations: number; maxPayloadSize: number } | false;
  /** filter.maxResults: the most resources one list page returns. */
  maxResults?: number;
  etags?: boolean;
  faults?: Faults;
}

export interface Faults {
  /** Shares of requests answered 429 (with Retry-After: 0.01 s... rounded up to 1 s by RFC, so 0), 500, or dropped without an answer. */
  rate429: number;
  rate500: number;
  rateDrop: number;
  /** Whether a 500 or a drop may come after the request was processed (the client cannot tell). */
  afterProcessing: boolean;
  /** Deterministic pseudo-random sequence. */
  seed: number;
  /** Only fault writes (so a read can be made reliably), or everything. */
  writesOnly?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  /** Operations in a /Bulk request. */
  operations?: number;
  status?: number;
}

interface UserRecord {
  [key: string]: unknown;
  id: string;
  userName: string;
}
interface GroupRecord {
  [key: string]: unknown;
  id: string;
  displayName: string;
  members?: { value: string; display?: string; type?: string }[];
}

interface Store {
  users: Map<string, UserRecord>;
  groups: Map<string, GroupRecord>;
  versions: Map<string, number>;
  nextId: number;
}

export interface ScimServer {
  url: string;
  token: string;
  log: LoggedRequest[];
  store: Store;
  /** Turns fault injection on or off (e.g. to check the outcome with a reliable read). */
  setFaults(f: Faults | undefined): void;
  /** Adds a user behind roster's back (an account made by hand in the console). */
  addUser(record: Omit<UserRecord, 'id'>): UserRecord;
  /** Adds a group as stored, without the service's checks (e.g. as an older roster left it). */
  addGroup(record: Omit<GroupRecord, 'id'>): GroupRecord;
  close(): Promise<void>;
}

const versionOf = (store: Store, id: string) => `W/"${store.versions.get(id) ?? 0}"`;
const bump = (store: Store, id: string) => store.versions.set(id, (store.versions.get(id) ?? 0) + 1);
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const plain = <T>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;

/** scimmy is configured globally: each request carries its server's store as the handlers' context. */
let declared = false;
function declareResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false))
    .egress((resource, ctx: Store) => egress(ctx, ctx.users, resource, 'userName'))
    .ingress((resource, instance, ctx: Store) => ingress(ctx, ctx.users, resource.id, plain<UserRecord>(instance), 'userName'))
    .degress((resource, ctx: Store) => {
      if (!ctx.users.delete(resource.id!)) throw new SCIMMY.Types.Error(404, '', `Resource ${resource.id} not found`);
      for (const g of ctx.groups.values()) {
        if (g.members?.some((m) => m.value === resource.id)) {
          g.members = g.members.filter((m) => m.value !== resource.id);
          bump(ctx, g.id);
        }
      }
    });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .egress((resource, ctx: Store) => egress(ctx, ctx.groups, resource, 'displayName'))
    .ingress((resource, instance, ctx: Store) => {
      const record = plain<GroupRecord>(instance);
      // A compliant service holds each member once, however often it is added.
      if (record.members) record.members = [...new Map(record.members.map((m) => [m.value, m])).values()];
      return ingress(ctx, ctx.groups, resource.id, record, 'displayName');
    })
    .degress((resource, ctx: Store) => {
      if (!ctx.groups.delete(resource.id!)) throw new SCIMMY.Types.Error(404, '', `Resource ${resource.id} not found`);
    });
}

function withMeta<T extends { id: string }>(store: Store, r: T): T {
  return { ...r, meta: { ...(r as { meta?: object }).meta, version: versionOf(store, r.id) } };
}

function egress<T extends { id: string }>(store: Store, records: Map<string, T>, resource: SCIMMY.Types.Resource, unique: string): T | T[] {
  if (resource.id) {
    const r = records.get(resource.id);
    if (!r) throw new SCIMMY.Types.Error(404, '', `Resource ${resource.id} not found`);
    return withMeta(store, r);
  }
  let all = [...records.values()];
  if (resource.filter) {
    // scimmy compares case-sensitively; userName and displayName are caseExact false (RFC 7643 §4.1.1, §4.2).
    const expression = plain<Record<string, unknown[]>[]>(resource.filter).map((e) =>
      Object.fromEntries(Object.entries(e).map(([k, v]) => [k, k === unique ? v.map(lower) : v])),
    );
    const matches = new Set(
      new SCIMMY.Types.Filter(expression as never)
        .match(all.map((r) => ({ ...r, [unique]: lower(r[unique as keyof T]) })))
        .map((r) => (r as { id: string }).id),
    );
    all = all.filter((r) => matches.has(r.id));
  }
  // Page here (scimmy would list everything, then slice) and report the total.
  const c = (resource.constraints ?? {}) as { startIndex?: number; count?: number };
  const startIndex = Math.max(1, c.startIndex ?? 1);
  const count = Math.min(c.count ?? currentMaxResults, currentMaxResults);
  const page = all.slice(startIndex - 1, startIndex - 1 + count).map((r) => withMeta(store, r));
  resource.constraints = { ...resource.constraints, startIndex, count, totalResults: all.length } as never;
  return page;
}

function ingress<T extends { id: string }>(store: Store, records: Map<string, T>, id: string | undefined, record: T, unique: string): T {
  const key = lower(record[unique as keyof T]);
  const externalId = (record as { externalId?: unknown }).externalId;
  for (const other of records.values()) {
    if (other.id !== id && lower(other[unique as keyof T]) === key)
      throw new SCIMMY.Types.Error(409, 'uniqueness', `${unique} ${String(record[unique as keyof T])} is already taken`);
    // externalId is the client's identifier of one resource (RFC 7643 §3.1): like many services, refuse it twice.
    if (other.id !== id && externalId !== undefined && (other as { externalId?: unknown }).externalId === externalId)
      throw new SCIMMY.Types.Error(409, 'uniqueness', `externalId ${String(externalId)} is already taken`);
  }
  if (id && !records.has(id)) throw new SCIMMY.Types.Error(404, '', `Resource ${id} not found`);
  const newId = id ?? String(store.nextId++);
  const { meta: _meta, schemas: _schemas, ...rest } = record as T & { meta?: unknown; schemas?: unknown };
  const saved = { ...rest, id: newId } as T;
  records.set(newId, saved);
  bump(store, newId);
  return withMeta(store, saved);
}

let currentMaxResults = 100;

/** Starts a SCIM service on 127.0.0.1 with an ephemeral port. */
export async function startScimServer(options: ScimServerOptions = {}): Promise<ScimServer> {
  declareResources();
  const token = options.token ?? 'scim-test-token-4f1c9a';
  const store: Store = { users: new Map(), groups: new Map(), versions: new Map(), nextId: 1 };
  const log: LoggedRequest[] = [];
  let faults = options.faults;
  let random = mulberry32(faults?.seed ?? 1);
  const configure = () => {
    currentMaxResults = options.maxResults ?? 100;
    SCIMMY.Config.set({
      bulk: options.bulk ? { supported: true, maxOperations: options.bulk.maxOperations, maxPayloadSize: options.bulk.maxPayloadSize } : { supported: false },
      filter: { supported: true, maxResults: options.maxResults ?? 100 },
      etag: { supported: options.etags ?? true },
    });
  };

  const app = express();
  // Express 5 parses queries afresh on each access, undoing scimmy's numeric cast: parse them as numbers up front.
  app.set('query parser', (q: string) => {
    const out: Record<string, unknown> = Object.fromEntries(new URLSearchParams(q));
    for (const k of ['startIndex', 'count']) if (typeof out[k] === 'string' && /^\d+$/.test(out[k] as string)) out[k] = Number(out[k]);
    return out;
  });
  app.use((req, res, next) => {
    configure();
    const entry: LoggedRequest = { method: req.method, path: req.path, query: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '' };
    log.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    const write = req.method !== 'GET';
    if (faults && (write || !faults.writesOnly)) {
      const roll = random();
      const fault =
        roll < faults.rate429 ? 429 : roll < faults.rate429 + faults.rate500 ? 500 : roll < faults.rate429 + faults.rate500 + faults.rateDrop ? 'drop' : null;
      const after = faults.afterProcessing && random() < 0.5;
      if (fault === 429) {
        res.setHeader('retry-after', '0');
        res.status(429).json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', detail: 'Too many requests' });
        return;
      }
      if (fault !== null && !after) {
        if (fault === 'drop') req.socket.destroy();
        else res.status(500).json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'Internal error' });
        return;
      }
      if (fault !== null && after) {
        // Process the request, then lose or spoil the answer.
        const send = res.send.bind(res);
        res.send = ((_body: unknown) => {
          if (fault === 'drop') {
            req.socket.destroy();
            return res;
          }
          res.status(500);
          return send(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'Internal error after processing' }));
        }) as typeof res.send;
      }
    }
    next();
  });
  app.use(express.json({ type: ['application/scim+json', 'application/json'], limit: '5mb' }));
  app.use((req, _res, next) => {
    const last = log.at(-1)!;
    if (req.path === '/Bulk' && Array.isArray(req.body?.Operations)) last.operations = req.body.Operations.length;
    next();
  });
  app.use((req, res, next) => enforceBulkPayload(req, res, next, options));
  app.use((req, res, next) => checkPreconditions(req, res, next, store, options.etags ?? true));
  app.use(
    new SCIMMYRouters({
      type: 'bearer',
      docUri: 'https://example.test/docs',
      handler: (req: Request) => {
        if (req.header('authorization') !== `Bearer ${token}`) throw new Error('Invalid bearer token');
        return '';
      },
      context: () => store,
    }) as unknown as express.Router,
  );
  const { url, close } = await listenOnLoopback(createServer(app));
  return {
    url,
    token,
    log,
    store,
    setFaults: (f) => {
      faults = f;
      random = mulberry32(f?.seed ?? 1);
    },
    addUser: (record) => {
      const id = String(store.nextId++);
      const saved = { ...record, id } as UserRecord;
      store.users.set(id, saved);
      bump(store, id);
      return saved;
    },
    addGroup: (record) => {
      const id = String(store.nextId++);
      const saved = { ...record, id } as GroupRecord;
      store.groups.set(id, saved);
      bump(store, id);
      return saved;
    },
    close,
  };
}

/** RFC 7644 §3.7: a request larger than maxPayloadSize is refused with 413 (scimmy trusts Content-Length, which may be absent). */
function enforceBulkPayload(req: Request, res: Response, next: NextFunction, options: ScimServerOptions): void {
  if (req.path !== '/Bulk' || !options.bulk) return next();
  const size = Buffer.byteLength(JSON.stringify(req.body ?? {}));
  if (size > options.bulk.maxPayloadSize || (req.body?.Operations?.length ?? 0) > options.bulk.maxOperations) {
    res.status(413).json({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '413',
      detail: `payload of ${size} bytes or ${req.body?.Operations?.length} operations exceeds the limits`,
    });
    return;
  }
  next();
}

/**
 * If-Match (RFC 7644 §3.14), which scimmy ignores: a stale version answers
 * 412; inside /Bulk the stale operation is answered 412 and the others run.
 */
function checkPreconditions(req: Request, res: Response, next: NextFunction, store: Store, etags: boolean): void {
  if (!etags) return next();
  const current = (path: string) => {
    const m = /^\/(Users|Groups)\/([^/]+)$/.exec(path);
    return m ? (store.versions.has(m[2]!) ? versionOf(store, m[2]!) : null) : undefined;
  };
  if (req.path === '/Bulk' && Array.isArray(req.body?.Operations)) {
    const ops = req.body.Operations as { method: string; path: string; version?: string; bulkId?: string }[];
    const stale = ops.map((op, i) => (op.version && current(op.path) && current(op.path) !== op.version ? i : -1)).filter((i) => i >= 0);
    if (stale.length === 0) return next();
    req.body.Operations = ops.filter((_, i) => !stale.includes(i));
    const send = res.send.bind(res);
    res.send = ((body: unknown) => {
      const parsed = typeof body === 'string' ? JSON.parse(body) : plain<{ Operations: unknown[] }>(body);
      for (const i of stale)
        parsed.Operations.splice(i, 0, {
          method: ops[i]!.method,
          bulkId: ops[i]!.bulkId,
          status: '412',
          response: { status: '412', detail: 'version mismatch' },
        });
      return send(JSON.stringify(parsed));
    }) as typeof res.send;
    return next();
  }
  const ifMatch = req.header('if-match');
  if (['PATCH', 'PUT', 'DELETE'].includes(req.method) && ifMatch) {
    const version = current(req.path);
    if (version && ifMatch !== '*' && ifMatch !== version) {
      res.status(412).json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '412', detail: 'version mismatch' });
      return;
    }
  }
  // Send the version as an ETag on single-resource answers.
  const send = res.send.bind(res);
  res.send = ((body: unknown) => {
    const version =
      (typeof body === 'object' && body !== null ? (plain<{ meta?: { version?: string } }>(body).meta?.version ?? null) : null) ??
      (typeof body === 'string' && body.startsWith('{') ? (JSON.parse(body) as { meta?: { version?: string } }).meta?.version : undefined);
    if (version && !res.headersSent) res.setHeader('etag', version);
    return send(body);
  }) as typeof res.send;
  next();
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
