/**
 * Writes the benchmark's declaration (both layouts) and seeds its stores.
 * Not timed: run once per size by bench/run.ts, in its own process so its
 * memory does not count against the measured ones.
 *
 *   node bin/dev.js bench/prepare.ts --size 10000 --work /tmp/roster-bench/10000
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PostgresProvider } from '../src/providers/postgres/index.ts';
import { writeDeclaration, type Layout } from './declaration.ts';
import { buildModel } from './model.ts';
import { seedStore, type Scenario } from './seed.ts';

const { values } = parseArgs({ options: { size: { type: 'string' }, work: { type: 'string' } } });
const size = Number(values.size);
const work = values.work!;
rmSync(work, { recursive: true, force: true });

const model = buildModel(size);
const layouts: Record<string, { files: number; bytes: number }> = {};
for (const layout of ['split', 'giant'] as Layout[]) {
  const files = writeDeclaration(model, join(work, layout), layout);
  layouts[layout] = { files: files.length, bytes: files.reduce((n, f) => n + statSync(join(work, layout, f)).size, 0) };
}
const stores: Record<string, { users: number; absent: number }> = {};
for (const scenario of ['drift', 'creates'] as Scenario[]) {
  const provider = await PostgresProvider.open({ dataDir: join(work, `store-${scenario}`) });
  try {
    stores[scenario] = await seedStore(provider.client, model, scenario);
    // A store roster has written has been read since (every plan reads it): the first read after a
    // bulk write also sets PostgreSQL's hint bits on every row, once, which no later plan pays again.
    await provider.read();
  } finally {
    await provider.close();
  }
}
process.stdout.write(JSON.stringify({ size, users: model.users.length, credits: model.credits.length, layouts, stores }) + '\n');
