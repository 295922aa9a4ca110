/**
 * `npm run bench`: declarations of 1,000, 10,000 and 100,000 users, split
 * over files as a real repository is and as one giant file; the embedded
 * store seeded with the same state plus 1% drift (and, separately, with one
 * person in ten missing); each case measured in its own process. Prints a
 * table and writes it as JSON to bench/results/ for comparison across commits.
 *
 *   npm run bench                                  # 1k, 10k, 100k
 *   npm run bench -- --sizes 1000,10000            # quicker
 *   npm run bench -- --sizes 10000 --with-yaml     # also the `yaml` package's parse and the precise path, for comparison
 *   npm run bench -- --runs 5                      # each case five times, the median run kept (default 3)
 *   npm run bench -- --sizes 100000 --only export  # only `roster export` of the seeded store
 *   npm run bench -- --sizes 100000 --only users   # only `roster users --format csv` (--only export,users: both)
 *   npm run bench -- --record                      # also write the table to bench/RESULTS.md (committed)
 *
 * Machines of this project's kind share their cores: the same case varies
 * by a fifth from run to run, so each is run several times and the median
 * run reported (its phases together, not a median per phase).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeRecord } from './record.ts';
import { formatTable, planMs, type CaseResult, type ExportCase, type SizeResult, type UsersCase } from './table.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    'with-yaml': { type: 'boolean', default: false },
    work: { type: 'string', default: join(tmpdir(), 'roster-bench') },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    record: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
/** --only export, --only users, or both (comma-separated): those cases alone. */
const only = new Set(values.only?.split(',').filter(Boolean) ?? []);
const wants = (kind: string) => only.size === 0 || only.has(kind);
const runs = Math.max(1, Number(values.runs));

/** The median of `runs` runs of a case, by the figure given. */
function median<T>(run: () => T, by: (result: T) => number, times = runs): T {
  const results = Array.from({ length: times }, run).sort((a, b) => by(a) - by(b));
  return results[Math.floor((results.length - 1) / 2)]!;
}

/** Runs a bench script in a fresh process and returns its one JSON line. */
function child<T>(script: string, args: string[]): T {
  const run = spawnSync(process.execPath, ['bin/dev.js', `bench/${script}`, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`bench/${script} ${args.join(' ')} failed with exit code ${run.status}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as T;
}
const progress = (text: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);

const results: SizeResult[] = [];
for (const size of sizes) {
  const work = join(values.work, String(size));
  progress(`${size} users: writing the declaration and seeding the stores`);
  const prepared = child<SizeResult['prepared']>('prepare.ts', ['--size', String(size), '--work', work]);
  const result: SizeResult = { size, prepared, floor: {}, cases: [] };
  if (wants('export')) {
    progress(`${size} users: export the store`);
    result.export = median(
      () => child<ExportCase>('export.ts', ['--work', work]),
      (e) => e.wallMs,
    );
  }
  if (wants('users')) {
    progress(`${size} users: roster users --format csv`);
    result.users = median(
      () => child<UsersCase>('users.ts', ['--work', work]),
      (u) => u.wallMs,
    );
  }
  if (only.size) {
    results.push(result);
    rmSync(work, { recursive: true, force: true });
    continue;
  }
  // The slow comparisons (the `yaml` package, the precise path) run once.
  const floor = (layout: string, parser: string) =>
    median(
      () => child<SizeResult['floor'][string]>('floor.ts', ['--dir', join(work, layout), '--parser', parser]),
      (f) => f.ms,
      parser === 'yaml' ? 1 : runs,
    );
  const measure = (layout: string, scenario: string, precise = false) => {
    const c = median(
      () => child<CaseResult>('measure.ts', ['--work', work, '--layout', layout, '--scenario', scenario, ...(precise ? ['--precise'] : [])]),
      (c) => (scenario === 'creates' ? (c.phases.apply?.ms ?? 0) : planMs(c)),
      precise ? 1 : runs,
    );
    // `roster validate` on its own: in the plan's process the load shares the cores with the store's read.
    if (scenario === 'drift' && !precise) {
      c.validateAlone = median(
        () => child<Pick<CaseResult, 'phases'>>('measure.ts', ['--work', work, '--layout', layout, '--validate-only']),
        (v) => (v.phases['load+parse']?.ms ?? 0) + (v.phases.validate?.ms ?? 0),
      ).phases;
    }
    return c;
  };
  for (const layout of ['split', 'giant']) {
    progress(`${size} users, ${layout}: parse floor`);
    result.floor[`${layout}/js-yaml`] = floor(layout, 'js-yaml');
    result.floor[`${layout}/json`] = floor(layout, 'json');
    if (values['with-yaml']) result.floor[`${layout}/yaml`] = floor(layout, 'yaml');
    progress(`${size} users, ${layout}: validate, read, plan, render, apply the drift`);
    result.cases.push(measure(layout, 'drift'));
  }
  progress(`${size} users: apply ${Math.round(size / 10)} creates`);
  result.cases.push(measure('split', 'creates'));
  if (values['with-yaml']) {
    progress(`${size} users: the precise path alone, for comparison`);
    result.cases.push(measure('split', 'drift', true));
  }
  results.push(result);
  rmSync(work, { recursive: true, force: true });
}

const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};
const report = {
  date: new Date().toISOString(),
  runs,
  commit: git('rev-parse', '--short', 'HEAD'),
  dirty: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '',
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  results,
};
mkdirSync('bench/results', { recursive: true });
const out = join('bench/results', `${report.date.replace(/[:.]/g, '-')}-${report.commit ?? 'nocommit'}.json`);
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
const table = formatTable(results, runs);
process.stdout.write(table + `\nWritten to ${out}\n`);
if (values.record) {
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  writeRecord('bench/RESULTS.md', 'Benchmark results', command, report, table);
  process.stdout.write('Recorded in bench/RESULTS.md\n');
}
