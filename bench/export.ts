/**
 * `roster export` of the seeded store, in its own process, as the CLI runs
 * it: open the embedded store, read it, build the fragments, write them.
 * Each phase timed with the peak memory after it; then, not timed, the
 * written declaration is loaded and planned against the same live state
 * (it must plan empty). Prints one JSON line.
 *
 *   node bin/dev.js bench/export.ts --work /tmp/roster-bench/10000
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { loadDeclaration } from '../src/declaration/index.ts';
import { exportDeclaration } from '../src/export/index.ts';
import { plan } from '../src/plan/index.ts';
import { PostgresProvider } from '../src/providers/postgres/index.ts';
import { NOW } from './model.ts';
import { peakRssMb, round, timed, type Lap } from './stopwatch.ts';

const { values } = parseArgs({ options: { work: { type: 'string' } } });
const scratch = mkdtempSync(join(tmpdir(), 'roster-bench-export-'));
const dataDir = join(scratch, 'live');
cpSync(join(values.work!, 'store-drift'), dataDir, { recursive: true });
execFileSync('sync');

const phases: Record<string, Lap> = {};
const rss: Record<string, number> = {};
const record = (name: string, lap: Lap) => {
  phases[name] = lap;
  rss[name] = peakRssMb();
};
const out = join(scratch, 'exported');
const started = performance.now();
const opened = await timed(() => PostgresProvider.open({ dataDir, access: 'read' }));
record('open', opened.lap);
let result;
try {
  const read = await timed(() => opened.value.read());
  record('read', read.lap);
  const built = await timed(() => exportDeclaration(read.value, { provider: 'postgres', includeUnmanaged: false }));
  record('export', built.lap);
  const written = await timed(() => {
    let bytes = 0;
    for (const [path, text] of built.value.files) {
      mkdirSync(dirname(join(out, path)), { recursive: true });
      writeFileSync(join(out, path), text);
      bytes += Buffer.byteLength(text);
    }
    return bytes;
  });
  record('write', written.lap);
  const wallMs = round(performance.now() - started);
  const peak = peakRssMb();
  // Not timed: the export is a declaration that plans empty against what it was read from.
  const loaded = loadDeclaration(out, { now: NOW, cwd: scratch });
  const planned = loaded.declaration ? plan(loaded.declaration, read.value, NOW) : undefined;
  result = {
    users: read.value.users.length,
    grants: read.value.grants.length,
    files: built.value.files.size,
    bytes: written.value,
    wallMs,
    peakRssMb: peak,
    valid: Boolean(loaded.declaration),
    problems: loaded.problems.slice(0, 5).map((p) => `${p.at ? `${p.at.file}:${p.at.line}: ` : ''}${p.message}`),
    planSteps: planned?.steps.length ?? null,
    firstSteps: planned?.steps.slice(0, 3).map((x) => `${x.kind} ${x.key}`),
    phases,
    rss,
  };
} finally {
  await opened.value.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result) + '\n');
