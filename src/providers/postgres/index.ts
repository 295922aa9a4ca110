import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type pg from 'pg';
import { chain } from '../../audit/chain.ts';
import type { AuditDraft, AuditEvent } from '../../model/audit.ts';
import { ConfigError, ProviderError, RosterError, StoreFaultError } from '../../errors.ts';
import type { Step } from '../../model/plan.ts';
import type { AuditStore, LiveState, Provider, ProviderInfo, Release } from '../../model/live.ts';
import type { EarlyRead } from './early-read.ts';
import { openPglite, type EmbeddedDb } from './embedded.ts';
import { checkWritable, classifyStoreError, freeBytesAt, guardedClient } from './faults.ts';
import { acquireAdvisoryLock, acquireFileLock } from './lock.ts';
import { migrate } from './migrations.ts';
import { isCurrent, noEmbeddedStore, requireCurrent, requireServerStore, type Access } from './readiness.ts';
import { buildLiveState, readLiveState, type LiveTables } from './read.ts';
import { lazyClient, pgClient, pgliteClient, type SqlClient } from './sql.ts';
import { writeSteps } from './batch.ts';

export interface PostgresConfig {
  /** PGlite data directory (the embedded default). */
  dataDir?: string;
  /** A PostgreSQL server instead; may hold a password, which is never printed. */
  databaseUrl?: string;
  /** Schema on the server (default public): lets several stores share one database. */
  schema?: string;
  /** How long to wait for another run's lock. */
  lockTimeoutMs?: number;
  /** An already-open PGlite instance (tests start from a migrated snapshot). */
  pglite?: EmbeddedDb;
  /** An early read of the embedded store (`roster plan`): the provider takes over its lock and its tables. */
  early?: EarlyRead;
  /** Free bytes on the disk under a path (tests pass a full disk in); default statfs. */
  freeBytes?: (path: string) => number;
  /** `read`: never create or migrate (readiness.ts); default `write`. */
  access?: Access;
  /** Read access to an embedded store that does not exist yet: `empty` reads it as an empty store (a first plan), creating nothing; default an error. */
  missing?: 'empty' | 'error';
}

const CAPABILITIES: ProviderInfo['capabilities'] = ['organizations', 'roles', 'workspaces', 'projects', 'packages', 'credits', 'policies'];

/** Removes any password from a connection URL before it is shown anywhere. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

export class PostgresProvider implements Provider {
  readonly auditStore: AuditStore;
  /** Tables an early read fetched: the first read is built from them. */
  private earlyTables: LiveTables | undefined;

  private constructor(
    private readonly sql: SqlClient,
    private readonly info: ProviderInfo,
    private readonly lockImpl: (timeoutMs: number) => Promise<Release>,
    private readonly closeImpl: () => Promise<void>,
    /** Checked before every write transaction: throws when writing now could break the store (a full disk under PGlite). */
    private readonly beforeWrite: () => void = () => undefined,
  ) {
    this.auditStore = {
      id: () => readStoreId(this.sql),
      events: (afterSeq = 0) => readEvents(this.sql, afterSeq),
      append: (drafts) => {
        this.beforeWrite();
        return this.sql.transaction(async (tx) => appendEvents(tx, drafts));
      },
    };
  }

  /**
   * Opens the store, creating and migrating it as needed. On PGlite the
   * data dir is locked for the life of the process (two processes on one
   * data dir diverge); on a server, `lock()` takes an advisory lock for applies.
   */
  static async open(config: PostgresConfig): Promise<PostgresProvider> {
    const lockTimeoutMs = config.lockTimeoutMs ?? 0;
    const access = config.access ?? 'write';
    if (config.pglite) {
      const sql = pgliteClient(config.pglite);
      await prepare(sql, access, 'the store', 'the store holds no roster store');
      return new PostgresProvider(
        sql,
        { name: 'postgres', target: 'pglite (in memory)', identity: 'pglite:memory', capabilities: CAPABILITIES },
        async () => async () => undefined,
        async () => undefined,
      );
    }
    if (config.databaseUrl) return PostgresProvider.openServer(config.databaseUrl, config.schema ?? 'public', lockTimeoutMs, access);
    const freeBytes = config.freeBytes ?? freeBytesAt;
    if (config.early) return PostgresProvider.takeOver(config.early, freeBytes, access);
    const dataDir = resolve(config.dataDir ?? '.roster/live');
    if (access === 'read' && !existsSync(join(dataDir, 'PG_VERSION'))) {
      if (config.missing === 'empty') return PostgresProvider.notYetCreated(dataDir);
      throw noEmbeddedStore(dataDir);
    }
    mkdirSync(dirname(dataDir), { recursive: true });
    return PostgresProvider.openEmbedded(dataDir, await acquireFileLock(`${dataDir}.lock`, lockTimeoutMs, `the store ${dataDir}`), freeBytes, access);
  }

  /**
   * An embedded store no apply has created yet, read as the empty store an
   * apply would start from: a new user's first plan shows everything to
   * add, and nothing is written (not even the folder).
   */
  private static notYetCreated(dataDir: string): PostgresProvider {
    const never = async (): Promise<never> => {
      throw noEmbeddedStore(dataDir);
    };
    const none: SqlClient = { query: never, exec: never, transaction: never, copyOut: never };
    const provider = new PostgresProvider(
      none,
      { ...embeddedInfo(dataDir), target: `pglite ${dataDir} (not created yet)` },
      never,
      async () => undefined,
      () => {
        throw noEmbeddedStore(dataDir);
      },
    );
    provider.earlyTables = EMPTY_TABLES;
    return provider;
  }

  /**
   * The embedded store, under its lock (released when the provider closes,
   * or here if it cannot be opened). PGlite writes as it starts (and
   * replays its WAL after a crash), so a full disk is refused before it does.
   */
  private static async openEmbedded(dataDir: string, release: Release, freeBytes: (path: string) => number, access: Access): Promise<PostgresProvider> {
    let db: EmbeddedDb | undefined;
    const context = { store: `the embedded store at ${dataDir}`, lockTimeoutMs: 0 };
    try {
      checkWritable(dataDir, freeBytes);
      db = await openPglite(dataDir);
      const sql = guardedClient(pgliteClient(db), context);
      await prepare(
        sql,
        access,
        `the embedded store at ${dataDir}`,
        `${dataDir} holds no roster store (no roster_migrations table): check --data-dir / ROSTER_DATA_DIR`,
      );
      const opened = db;
      return new PostgresProvider(
        sql,
        embeddedInfo(dataDir),
        async () => async () => undefined,
        async () => {
          await opened.close();
          await release();
        },
        () => checkWritable(dataDir, freeBytes),
      );
    } catch (e) {
      await db?.close().catch(() => undefined);
      await release();
      throw cannotOpen(dataDir, e);
    }
  }

  /**
   * A provider whose first read is what an early read found; the store is
   * opened on this thread only if something else is asked of it. When the
   * early read found nothing (a store to migrate, a read that failed), the
   * store is opened as usual, under the lock the early read holds.
   */
  private static async takeOver(early: EarlyRead, freeBytes: (path: string) => number, access: Access): Promise<PostgresProvider> {
    const tables = await early.tables;
    if (!tables) return PostgresProvider.openEmbedded(early.dataDir, early.release, freeBytes, access);
    // Kept as a promise: a close while the store is still opening waits for it, then closes it, then lets the lock go.
    let opening: Promise<EmbeddedDb> | undefined;
    const sql = lazyClient(async () => {
      try {
        checkWritable(early.dataDir, freeBytes);
        opening = openPglite(early.dataDir);
        return guardedClient(pgliteClient(await opening), { store: `the embedded store at ${early.dataDir}`, lockTimeoutMs: 0 });
      } catch (e) {
        throw cannotOpen(early.dataDir, e);
      }
    });
    const provider = new PostgresProvider(
      sql,
      embeddedInfo(early.dataDir),
      async () => async () => undefined,
      async () => {
        await (await opening?.catch(() => undefined))?.close();
        await early.release();
      },
      () => checkWritable(early.dataDir, freeBytes),
    );
    provider.earlyTables = tables;
    return provider;
  }

  private static async openServer(url: string, schema: string, lockTimeoutMs: number, access: Access): Promise<PostgresProvider> {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new ConfigError(`ROSTER_DATABASE_SCHEMA must be a plain lower-case identifier`);
    const target = redactUrl(url);
    const context = { store: `the PostgreSQL store at ${target}`, lockTimeoutMs, scrub: (m: string) => scrub(m, url) };
    const session = serverSession(url, schema, lockTimeoutMs);
    // The client library is loaded only for a server (~40 ms the embedded store does not need).
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ ...session, max: 4 });
    pool.on('error', () => undefined); // idle-client errors surface on the next query
    // A connection the server ends while a transaction holds it emits 'error' on its client as well as failing the query: without a listener that was an uncaught exception.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const sql = guardedClient(pgClient(pool), context);
    const connect = async () => {
      const client = new pg.Client(session);
      client.on('error', () => undefined);
      try {
        await client.connect();
      } catch (e) {
        throw classifyStoreError(e, context);
      }
      return { sql: guardedClient(pgClient(client as unknown as pg.PoolClient), context), end: () => client.end() };
    };
    try {
      if (access === 'read') await requireServerStore(sql, schema, target);
      // A current store needs no DDL: a login that may write rows but not change the schema can apply.
      else if (!(await isCurrent(sql))) await migrateServer(sql, schema, connect);
    } catch (e) {
      await pool.end().catch(() => undefined);
      // Nothing was applied yet: a connection that failed here is a store that cannot be opened, not one that was lost.
      if (e instanceof StoreFaultError && typeof e.cause === 'string') throw new StoreFaultError(`cannot open the PostgreSQL store at ${target}: ${e.cause}`);
      if (e instanceof RosterError && !(e instanceof ProviderError && e.constructor === ProviderError)) throw e;
      throw new StoreFaultError(`cannot open the PostgreSQL store at ${target}: ${scrub((e as Error).message, url)}`);
    }
    return new PostgresProvider(
      sql,
      { name: 'postgres', target: `${target} (schema ${schema})`, identity: serverIdentity(url, schema), capabilities: CAPABILITIES },
      (timeoutMs) => acquireAdvisoryLock(connect, `roster:apply:${schema}`, timeoutMs || lockTimeoutMs),
      () => pool.end(),
    );
  }

  describe(): ProviderInfo {
    return this.info;
  }

  read(): Promise<LiveState> {
    const early = this.earlyTables;
    this.earlyTables = undefined;
    return early ? Promise.resolve(buildLiveState(early)) : readLiveState(this.sql);
  }

  /**
   * Applies the steps in one transaction, each with its audit event: the
   * audit table never holds an event for a step that did not happen, and a
   * step never happens without its event. All or nothing; the apply module
   * isolates failures by retrying steps one at a time. Runs of the common
   * kinds are written set-based (batch.ts), the events in one statement.
   */
  async applyBatch(steps: Step[], draft: (step: Step) => AuditDraft, onStep?: (step: Step) => void): Promise<void> {
    this.beforeWrite();
    await this.sql.transaction(async (tx) => {
      let head = await lastEvent(tx);
      const events: AuditEvent[] = [];
      await writeSteps(tx, steps, (step) => {
        const event = chain(draft(step), head);
        events.push(event);
        head = event;
        onStep?.(step);
      });
      await insertEvents(tx, events);
    });
  }

  lock(timeoutMs: number): Promise<Release> {
    return this.lockImpl(timeoutMs);
  }

  /** For tests and the RLS check: raw SQL on the store. */
  get client(): SqlClient {
    return this.sql;
  }

  close(): Promise<void> {
    return this.closeImpl();
  }
}

/** Migrates (write) or only checks (read) an opened store. */
async function prepare(sql: SqlClient, access: Access, store: string, noStore: string): Promise<void> {
  if (access === 'read') await requireCurrent(sql, store, noStore);
  else await migrate(sql);
}

/** Two runs opening a new store at once would race on CREATE SCHEMA (IF NOT EXISTS is not atomic): both under the lock. */
async function migrateServer(sql: SqlClient, schema: string, connect: Parameters<typeof acquireAdvisoryLock>[0]): Promise<void> {
  const releaseMigrate = await acquireAdvisoryLock(connect, `roster:migrate:${schema}`, 60_000);
  try {
    await sql.exec(`create schema if not exists ${schema}`);
    await migrate(sql);
  } finally {
    await releaseMigrate();
  }
}

const EMPTY_TABLES: LiveTables = {
  organizations: [],
  roles: [],
  workspaces: [],
  projects: [],
  packages: [],
  settings: [],
  copies: {
    users: new Uint8Array(0),
    members: new Uint8Array(0),
    projectMembers: new Uint8Array(0),
    assignments: new Uint8Array(0),
    grants: new Uint8Array(0),
    ledger: new Uint8Array(0),
  },
};

/**
 * Why the embedded store did not open: roster's own errors and typed faults
 * (full, read-only) as they are; anything else PGlite raised while starting
 * means the store cannot be used as it is.
 */
function cannotOpen(dataDir: string, e: unknown): Error {
  if (e instanceof RosterError) return e;
  const classified = classifyStoreError(e, { store: `the embedded store at ${dataDir}`, lockTimeoutMs: 0 });
  if (!(classified instanceof ProviderError)) return classified;
  return new StoreFaultError(
    `cannot open the embedded store at ${dataDir}: ${classified.message}. If a run was stopped while its disk was full, free space and run again; if it still fails, restore the data dir from a backup`,
  );
}

const embeddedInfo = (dataDir: string): ProviderInfo => ({
  name: 'postgres',
  target: `pglite ${dataDir}`,
  identity: `pglite:${resolve(dataDir)}`,
  capabilities: CAPABILITIES,
});

/** Host, port, database and schema of a server URL: the same store whoever connects, and no credential. */
export function serverIdentity(url: string, schema: string): string {
  try {
    const u = new URL(url);
    const host = u.searchParams.get('host') ?? u.hostname.toLowerCase();
    return `postgres://${host}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1))}#${schema}`;
  } catch {
    return `postgres://(unparseable URL)#${schema}`;
  }
}

/**
 * Every session roster opens on a server waits at most --lock-timeout for a
 * lock (another session's table or row lock ends in exit 5, not a wait
 * without end), never runs one statement for more than a generous bound,
 * and names itself (application_name) so an operator can find it. A lock
 * timeout of 0 (the default: do not wait for another run) still lets a lock
 * held for an instant pass.
 */
export const MIN_SERVER_LOCK_WAIT_MS = 1000;
export const STATEMENT_TIMEOUT_MS = 5 * 60_000;

function serverSession(url: string, schema: string, lockTimeoutMs: number) {
  const lockWait = Math.max(lockTimeoutMs, MIN_SERVER_LOCK_WAIT_MS);
  return {
    connectionString: url,
    application_name: 'roster',
    options: `-c search_path=${schema} -c lock_timeout=${Math.ceil(lockWait)} -c statement_timeout=${Math.ceil(lockWait + STATEMENT_TIMEOUT_MS)}`,
    // A server that does not answer is reported, not waited for without end.
    connectionTimeoutMillis: Math.max(lockTimeoutMs, 10_000),
  };
}

function scrub(message: string, url: string): string {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? message.split(password).join('***') : message;
  } catch {
    return message;
  }
}

/** The id migration 3 generated for this store: the audit trail file names it. */
async function readStoreId(sql: SqlClient): Promise<string> {
  const { rows } = await sql.query<{ value: string }>(`select value from roster_meta where key = 'store_id'`);
  if (!rows[0]) throw new ProviderError('the store has no id (roster_meta.store_id is missing): it was edited by hand');
  return rows[0].value;
}

async function lastEvent(sql: SqlClient): Promise<{ seq: number; hash: string } | null> {
  const { rows } = await sql.query<{ seq: number; hash: string }>('select seq::float8 as seq, hash from audit_events order by seq desc limit 1');
  return rows[0] ?? null;
}

/** Chained events, in one statement. */
async function insertEvents(sql: SqlClient, events: AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await sql.query(
    'insert into audit_events (seq, event, prev, hash) select s, e::jsonb, p, h from unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) as t(s, e, p, h)',
    [events.map((e) => e.seq), events.map((e) => JSON.stringify(e)), events.map((e) => e.prev), events.map((e) => e.hash)],
  );
}

async function appendEvents(sql: SqlClient, drafts: AuditDraft[]): Promise<AuditEvent[]> {
  let head = await lastEvent(sql);
  const out = drafts.map((d) => {
    const event = chain(d, head);
    head = event;
    return event;
  });
  await insertEvents(sql, out);
  return out;
}

/**
 * Events per query, each page as one JSON text (decoding tens of thousands of
 * rows one by one is what costs on PGlite); one text for a whole 46,519-step
 * apply's events grew PGlite's memory, which never shrinks, by 250 MB.
 */
const EVENTS_PAGE = 2000;

async function readEvents(sql: SqlClient, afterSeq: number): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (let after = afterSeq; ;) {
    const { rows } = await sql.query<{ events: string }>(
      `select coalesce(json_agg(event order by seq), '[]')::text as events from (select seq, event from audit_events where seq > $1 order by seq limit ${EVENTS_PAGE}) page`,
      [after],
    );
    const page = JSON.parse(rows[0]!.events) as AuditEvent[];
    for (const event of page) events.push(event);
    if (page.length < EVENTS_PAGE) return events;
    after = page[page.length - 1]!.seq;
  }
}
