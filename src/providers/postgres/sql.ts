import type { Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import type { CopyCapture, EmbeddedDb } from './embedded.ts';

/** The little of SQL access roster needs, served by PGlite in-process or by a PostgreSQL server. */
export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Several statements, no parameters. */
  exec(text: string): Promise<void>;
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * The rows of a query as `COPY (query) TO STDOUT` writes them (text format,
   * UTF-8), in a buffer of their own (a worker thread can hand it over without
   * a copy): the cheapest way out of either engine for a big table (copy-text.ts reads it).
   */
  copyOut(query: string): Promise<Uint8Array>;
}

/** The embedded store; its transactions run on the same instance, and so COPY through the same device. */
export function pgliteClient(db: EmbeddedDb | Transaction, device: CopyCapture = (db as EmbeddedDb).copyDevice): SqlClient {
  return {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await db.query<T>(text, params)).rows }),
    exec: async (text) => {
      await db.exec(text);
    },
    transaction: async (fn) => {
      if (!('transaction' in db)) return fn(pgliteClient(db, device));
      return db.transaction((tx) => fn(pgliteClient(tx, device)));
    },
    // The device's buffer is reused: the output is copied out of it, to exactly its size.
    copyOut: (query) =>
      device.capture(
        (path) => db.query(`copy (${query}) to '${path}'`),
        (bytes) => new Uint8Array(bytes),
      ),
  };
}

export function pgClient(conn: pg.Pool | pg.PoolClient, inTransaction = false): SqlClient {
  const withClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = 'release' in conn ? conn : await conn.connect();
    try {
      return await fn(client);
    } finally {
      if (client !== conn) client.release();
    }
  };
  return {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await conn.query(text, params)).rows as T[] }),
    exec: async (text) => {
      await conn.query(text);
    },
    transaction: async (fn) => {
      if (inTransaction) return fn(pgClient(conn, true));
      return withClient(async (client) => {
        try {
          await client.query('begin');
          const result = await fn(pgClient(client, true));
          await client.query('commit');
          return result;
        } catch (e) {
          await client.query('rollback').catch(() => undefined);
          throw e;
        }
      });
    },
    copyOut: (query) =>
      withClient(async (client) => {
        const { to: copyTo } = await import('pg-copy-streams');
        const chunks: Buffer[] = [];
        for await (const chunk of client.query(copyTo(`copy (${query}) to stdout`))) chunks.push(chunk as Buffer);
        return new Uint8Array(Buffer.concat(chunks));
      }),
  };
}

/** A client that connects on first use: for a provider that may never need to. */
export function lazyClient(connect: () => Promise<SqlClient>): SqlClient {
  let client: Promise<SqlClient> | undefined;
  const get = () => (client ??= connect());
  return {
    query: async (text, params) => (await get()).query(text, params),
    exec: async (text) => (await get()).exec(text),
    transaction: async (fn) => (await get()).transaction(fn),
    copyOut: async (query) => (await get()).copyOut(query),
  };
}
