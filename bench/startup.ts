/**
 * `npm run bench:startup`: `roster validate` of the example (users/) as a
 * user runs it, a whole process each time: from the build (dist/, what
 * `npm ci` makes), from it without Node's compile cache (Node 22.1+ only),
 * and from the TypeScript sources (tsx compiling on load).
 * Target: the build under 0.5 s wall, median of the runs, on this project's
 * machine type.
 *
 *   npm run bench:startup                         # 10 runs of each, one warm-up
 *   npm run bench:startup -- --runs 20
 *   npm run bench:startup -- --node /path/to/node # another Node (e.g. 22, as CI runs)
 *   npm run bench:startup -- --record             # also write the table to bench/RESULTS-startup.md (committed)
 *
 * The cases take turns, run by run, so a neighbour's load falls on all of
 * them alike. Wall and CPU (user + system, from the children's rusage) are
 * both printed: on a shared machine wall varies with its load, CPU much less.
 * The table is printed and written as JSON to bench/results/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildIsFresh } from '../bin/runtime.js';
import { writeRecord } from './record.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, node: { type: 'string', default: process.execPath }, record: { type: 'boolean', default: false } },
});
const runs = Math.max(1, Number(values.runs));
const node = values.node;
const root = fileURLToPath(new URL('..', import.meta.url));
const TARGET_S = 0.5;

interface Case {
  name: string;
  env: Record<string, string>;
}
interface Sample {
  wall: number;
  cpu: number;
}

const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const [major = 0, minor = 0] = nodeVersion.slice(1).split('.').map(Number);
const hasCompileCache = major > 22 || (major === 22 && minor >= 1);
const cases: Case[] = [
  { name: 'build', env: {} },
  ...(hasCompileCache ? [{ name: 'build, no compile cache', env: { NODE_DISABLE_COMPILE_CACHE: '1' } }] : []),
  { name: 'sources', env: { ROSTER_FROM_SOURCES: '1' } },
];

/** CPU seconds of this process's waited-for children (Linux: cutime + cstime of /proc/self/stat, in ticks of 1/100 s); NaN elsewhere. */
function childrenCpu(): number {
  if (!existsSync('/proc/self/stat')) return NaN;
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function once({ env }: Case): Sample {
  const cpu0 = childrenCpu();
  const start = process.hrtime.bigint();
  const r = spawnSync(node, ['bin/roster.js', 'validate'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`roster validate failed (exit ${r.status}):\n${r.stderr}`);
  return { wall, cpu: childrenCpu() - cpu0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
}

// The build is what bin/roster.js runs only when it is fresh: measure nothing else under its name.
if (!buildIsFresh()) {
  console.error('dist/ is missing or older than src/: run `npm run build` first');
  process.exit(1);
}
for (const c of cases) once(c); // warm-up: the file cache, and the compile cache where there is one
const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.name)!.push(once(c));

const rows = cases.map(({ name }) => {
  const s = samples.get(name)!;
  const walls = s.map((x) => x.wall);
  return { case: name, wallMedianS: median(walls), wallMinS: Math.min(...walls), wallMaxS: Math.max(...walls), cpuMedianS: median(s.map((x) => x.cpu)), runs };
});
const build = rows[0]!;
const met = build.wallMedianS < TARGET_S;

const f = (s: number) => `${s.toFixed(3)} s`;
const table = [
  `roster validate of users/, Node ${nodeVersion}, ${runs} runs of each (median, min–max):`,
  '',
  '| case | wall | wall min–max | CPU |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.case} | ${f(r.wallMedianS)} | ${f(r.wallMinS)}–${f(r.wallMaxS)} | ${f(r.cpuMedianS)} |`),
  '',
  `target: the build under ${TARGET_S} s wall: ${f(build.wallMedianS)}, ${met ? 'met' : 'NOT met'}`,
].join('\n');
console.log(table);

const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};
const report = {
  bench: 'startup',
  date: new Date().toISOString(),
  commit: git('rev-parse', '--short', 'HEAD'),
  dirty: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '',
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: nodeVersion },
  target: { wallMedianS: TARGET_S, met },
  rows,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
const out = join('bench/results', `startup-${report.date.replace(/[:.]/g, '-')}-${report.commit ?? 'nocommit'}.json`);
writeFileSync(join(root, out), JSON.stringify(report, null, 2) + '\n');
console.log(`Written to ${out}`);
if (values.record) {
  const command = ['npm run bench:startup', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  writeRecord(join(root, 'bench/RESULTS-startup.md'), 'Start-up results', command, report, table);
  console.log('Recorded in bench/RESULTS-startup.md');
}
