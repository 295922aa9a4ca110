import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCopy } from '../../../src/providers/postgres/copy-text.ts';
import { openPglite, type EmbeddedDb } from '../../../src/providers/postgres/embedded.ts';
import { pgliteClient } from '../../../src/providers/postgres/sql.ts';

describe('the embedded store’s COPY device', () => {
  let db: EmbeddedDb;
  beforeAll(async () => {
    db = await openPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('collects an output many times its first buffer, byte for byte, in UTF-8', async () => {
    // 20,000 rows of ~60 bytes: 1.2 MB, written by PostgreSQL ~1 KB at a time.
    const query = `select i, 'row ' || i || ' é ☃ ' || repeat('x', 40) from generate_series(1, 20000) i`;
    const text = decodeCopy(await pgliteClient(db).copyOut(query));
    const expected = Array.from({ length: 20_000 }, (_, k) => `${k + 1}\trow ${k + 1} é ☃ ${'x'.repeat(40)}\n`).join('');
    expect(text.length).toBe(expected.length);
    expect(text === expected).toBe(true);
  });

  it('gives each of several COPYs queued at once its own output', async () => {
    const sql = pgliteClient(db);
    const outputs = await Promise.all([1, 2, 3, 4].map(async (n) => decodeCopy(await sql.copyOut(`select ${n} from generate_series(1, ${n * 1000})`))));
    expect(outputs.map((text) => text)).toEqual([1, 2, 3, 4].map((n) => `${n}\n`.repeat(n * 1000)));
  });

  it('gives an empty output for no rows, and leaves no device behind', async () => {
    const sql = pgliteClient(db);
    expect(await sql.copyOut('select 1 where false')).toEqual(new Uint8Array());
    // A failed COPY cleans up too.
    await expect(sql.copyOut('select 1/0')).rejects.toThrow(/division by zero/);
    const left = await sql.query<{ name: string }>(`select pg_ls_dir('/dev') as name`);
    expect(left.rows.map((r) => r.name).filter((name) => name.startsWith('roster-copy'))).toEqual([]);
  });
});
