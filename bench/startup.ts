/**
 * `npm run bench:startup`: `roster validate` of the example (users/) as a
 * user runs it, a whole process each time: from the build (dist/, what
 * `npm ci` makes) and from the TypeScript sources (tsx compiling on load).
 * Target: the build under 0.5 s wall on this project's machine type.
 *
 *   npm run bench:startup                 # 7 runs of each, one warm-up
 *   npm run bench:startup -- --runs 15
 *
 * Wall and CPU (user + system, from the child's rusage) are both printed:
 * on a shared machine wall varies with its load, CPU much less.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Math.max(1, Number(values.runs));
const root = fileURLToPath(new URL('..', import.meta.url));
const TARGET_S = 0.5;

interface Sample {
  wall: number;
  cpu: number;
}

/** CPU seconds of this process's waited-for children (Linux: cutime + cstime of /proc/self/stat, in clock ticks of 1/100 s); null elsewhere. */
function childrenCpu(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function once(env: Record<string, string>): Sample {
  const cpu0 = childrenCpu();
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['bin/roster.js', 'validate'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`roster validate failed:\n${r.stderr}`);
  const cpu1 = childrenCpu();
  return { wall, cpu: cpu0 === null || cpu1 === null ? NaN : cpu1 - cpu0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

function measure(label: string, env: Record<string, string>): void {
  once(env); // warm-up: the file cache
  const samples = Array.from({ length: runs }, () => once(env));
  const walls = samples.map((s) => s.wall);
  const cpu = median(samples.map((s) => s.cpu));
  console.log(`${label.padEnd(28)} wall median ${median(walls).toFixed(3)} s (min ${Math.min(...walls).toFixed(3)}, max ${Math.max(...walls).toFixed(3)}), cpu median ${cpu.toFixed(2)} s, ${runs} runs`);
}

if (!existsSync(`${root}dist/.built`)) console.log('no build in dist/: run `npm run build` first (the build row then runs the sources too)');
measure('roster validate (build)', {});
measure('roster validate (sources)', { ROSTER_FROM_SOURCES: '1' });
console.log(`target: the build under ${TARGET_S} s wall`);
