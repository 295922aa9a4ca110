import type { PGlite, Transaction } from '@electric-sql/pglite';
import { isAscii } from 'node:buffer';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/** The little of SQL access roster needs, served by PGlite in-process or by a PostgreSQL server. */
export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Several statements, no parameters. */
  exec(text: string): Promise<void>;
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * The rows of a query as `COPY (query) TO STDOUT` writes them (text format):
   * the cheapest way out of either engine for a big table (copy-text.ts reads it).
   */
  copyOut(query: string): Promise<string>;
}

/** COPY's output as text: most is ASCII, which needs no UTF-8 decoding. */
const copyText = (bytes: Buffer) => (isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8'));

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
    copyOut: async (query) => {
      // PGlite's COPY TO its virtual device hands the output back as a Blob.
      const result = await db.query(`copy (${query}) to '/dev/blob'`);
      return result.blob ? copyText(Buffer.from(await result.blob.arrayBuffer())) : '';
    },
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
        const chunks: Buffer[] = [];
        for await (const chunk of client.query(copyTo(`copy (${query}) to stdout`))) chunks.push(chunk as Buffer);
        return copyText(Buffer.concat(chunks));
      }),
  };
}
