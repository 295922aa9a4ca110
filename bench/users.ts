/**
 * `roster users --format csv` of the seeded store, in its own process, as
 * the CLI runs it: the split declaration loaded while the store is read (on
 * a worker thread, as `roster plan` reads it), the two joined, one CSV row
 * per person written to a sink that counts them. Prints one JSON line:
 * wall and CPU time of the whole command, peak memory, rows and bytes.
 *
 *   node bin/dev.js bench/users.ts --work /tmp/roster-bench/100000
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { users } from '../src/cli/commands/users.ts';
import type { Io } from '../src/cli/io.ts';
import { NOW } from './model.ts';
import { peakRssMb, timed } from './stopwatch.ts';

const { values } = parseArgs({ options: { work: { type: 'string' } } });
const scratch = mkdtempSync(join(tmpdir(), 'roster-bench-users-'));
const dataDir = join(scratch, 'live');
cpSync(join(values.work!, 'store-drift'), dataDir, { recursive: true });
execFileSync('sync');

let bytes = 0;
let lines = 0;
const errors: string[] = [];
const io: Io = {
  out: (text) => {
    bytes += Buffer.byteLength(text);
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  },
  err: (text) => errors.push(text),
  interactive: false,
  color: false,
  errIsTerminal: false,
  ask: () => Promise.reject(new Error('the benchmark answers no questions')),
  env: { ...process.env, ROSTER_DATABASE_URL: '' },
  cwd: scratch,
};
try {
  const run = await timed(() => users({ dir: join(values.work!, 'split'), dataDir, now: NOW.toISOString(), lockTimeout: '0s', format: 'csv' }, io));
  if (run.value !== 0) throw new Error(`roster users exited with ${run.value}: ${errors.join('')}`);
  // The header and one row per person.
  process.stdout.write(JSON.stringify({ rows: lines - 1, bytes, wallMs: run.lap.ms, cpuMs: run.lap.cpuMs, peakRssMb: peakRssMb() }) + '\n');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
