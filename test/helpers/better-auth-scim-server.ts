import { createServer } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import { scim } from '@better-auth/scim';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { PostgresDialect } from 'kysely';
import type { LoggedRequest } from '../fakes/scim-server.ts';
import { listenOnLoopback } from './loopback.ts';
import { emptyCluster } from './pglite-snapshots.ts';

/**
 * A second, independent SCIM 2.0 service: Better Auth's SCIM plugin
 * (@better-auth/scim), unchanged, on an embedded PostgreSQL (PGlite) with
 * Better Auth's own migrations, served on 127.0.0.1. Only glue lives here: a
 * pool over the single PGlite session, the plugin's configuration (one
 * connection, one bearer token), and a request log for the counts tests.
 */
export interface BetterAuthScimServer {
  /** The SCIM base URL (…/api/auth/scim/v2). */
  url: string;
  token: string;
  log: LoggedRequest[];
  /** Creates a user through the SCIM API as another client would: its own externalId, not roster's mark. */
  addUser(email: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * One embedded PostgreSQL per test process (starting PGlite costs seconds),
 * one schema per service, so services started side by side share nothing.
 */
let shared: Promise<{ db: PGlite; turn: { queue: Promise<void> } }> | undefined;
let schemas = 0;

/**
 * The smallest pg-style pool Kysely's PostgresDialect needs. PGlite is one
 * session, so one client is handed out at a time (a transaction keeps the
 * session until it releases it, as a pooled connection would), and each
 * hand-out first points search_path at this service's schema.
 */
function pglitePool(db: PGlite, turn: { queue: Promise<void> }, schema: string) {
  const client = {
    query: async (sql: string, params?: unknown[]) => {
      const r = await db.query(sql, params as never[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length, command: sql.trim().split(/\s+/)[0]!.toUpperCase() };
    },
  };
  return {
    connect: async () => {
      let release!: () => void;
      const mine = new Promise<void>((r) => (release = r));
      const before = turn.queue;
      turn.queue = before.then(() => mine);
      await before;
      await db.exec(`set search_path to ${schema}`);
      return { ...client, release };
    },
    end: async () => undefined,
  };
}

export async function startBetterAuthScimServer(options: { token?: string } = {}): Promise<BetterAuthScimServer> {
  const token = options.token ?? 'better-auth-scim-token-7d2e';
  shared ??= (async () => {
    const db = await PGlite.create({ loadDataDir: await emptyCluster() });
    return { db, turn: { queue: Promise.resolve() } };
  })();
  const { db, turn } = await shared;
  const schema = `scim_${process.pid}_${++schemas}`;
  const pool = pglitePool(db, turn, 'public');
  const exec = async (sql: string) => {
    const c = await pool.connect();
    try {
      await c.query(sql);
    } finally {
      c.release();
    }
  };
  await exec(`create schema ${schema}`);
  const log: LoggedRequest[] = [];
  const server = createServer();
  const { url: origin, close } = await listenOnLoopback(server);
  const auth = betterAuth({
    baseURL: origin,
    secret: 'roster-test-secret-not-a-real-one-0123456789',
    telemetry: { enabled: false },
    logger: { disabled: true },
    database: { dialect: new PostgresDialect({ pool: pglitePool(db, turn, schema) as never }), type: 'postgres', transaction: true },
    plugins: [scim({ connections: [{ id: 'roster', credentials: [{ type: 'bearer', id: 'roster-test', token }] }] })],
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  const handler = toNodeHandler(auth);
  server.on('request', (req, res) => {
    const [path, query = ''] = (req.url ?? '').split('?');
    const entry: LoggedRequest = { method: req.method ?? '', path: path!.replace(/^\/api\/auth\/scim\/v2/, ''), query };
    log.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    void handler(req, res);
  });
  return {
    url: `${origin}/api/auth/scim/v2`,
    token,
    log,
    addUser: async (email) => {
      const res = await fetch(`${origin}/api/auth/scim/v2/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          externalId: `idp-${email}`,
          userName: email,
          emails: [{ value: email, primary: true }],
          active: true,
          roles: [{ value: 'member', primary: true }],
        }),
      });
      if (res.status !== 201) throw new Error(`creating ${email} by hand: ${res.status} ${await res.text()}`);
    },
    close: async () => {
      await close();
      await exec(`drop schema ${schema} cascade`);
    },
  };
}
