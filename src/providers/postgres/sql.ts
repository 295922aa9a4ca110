import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';

/** The little of SQL access roster needs, served by PGlite in-process or by a PostgreSQL server. */
export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Several statements, no parameters. */
  exec(text: string): Promise<void>;
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

export function pgliteClient(db: PGlite | Transaction): SqlClient {
  return {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await db.query<T>(text, params)).rows }),
    exec: async (text) => {
      await db.exec(text);
    },
    transaction: async (fn) => {
      if (!('transaction' in db)) return fn(pgliteClient(db));
      return db.transaction((tx) => fn(pgliteClient(tx)));
    },
  };
}

export function pgClient(conn: pg.Pool | pg.PoolClient, inTransaction = false): SqlClient {
  return {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await conn.query(text, params)).rows as T[] }),
    exec: async (text) => {
      await conn.query(text);
    },
    transaction: async (fn) => {
      if (inTransaction) return fn(pgClient(conn, true));
      const client = 'release' in conn ? conn : await conn.connect();
      try {
        await client.query('begin');
        const result = await fn(pgClient(client, true));
        await client.query('commit');
        return result;
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        if (client !== conn) (client as pg.PoolClient).release();
      }
    },
  };
}
