/**
 * The benchmark's tables (markdown; bench/README.md says how to read them) and
 * its targets. Also prints a saved result again:
 *
 *   node bin/dev.js bench/table.ts bench/results/<file>.json
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lap } from './stopwatch.ts';

export interface CaseResult {
  layout: string;
  scenario: string;
  precise: boolean;
  users: number;
  files: number;
  parsedBy: { fast: number; precise: number; located?: { regions: number; files: number } };
  warnings: number;
  steps: Record<string, number>;
  applied: number;
  failed: number;
  events: number;
  replanEmpty: boolean;
  /** Start of the load to the end of the diff, wall clock. */
  planWallMs?: number;
  /** Whether the plan read the store on a worker thread while the declaration loaded (big declarations, as the CLI does). */
  readEarly?: boolean;
  /** The load measured in a process of its own: what `roster validate` costs. */
  validateAlone?: Record<string, Lap>;
  phases: Record<string, Lap>;
  rss: Record<string, number>;
  peakRssMb: number;
}

export interface SizeResult {
  size: number;
  prepared: {
    users: number;
    credits: number;
    layouts: Record<string, { files: number; bytes: number }>;
    stores: Record<string, { users: number; absent: number }>;
  };
  floor: Record<string, Lap & { parser: string; peakRssMb: number }>;
  cases: CaseResult[];
  /** `roster export` of the drift store (bench/export.ts). */
  export?: ExportCase;
  users?: UsersCase;
}

/** `roster users --format csv` of the seeded store: the whole command, the declaration loaded beside the store's read. */
export interface UsersCase {
  rows: number;
  bytes: number;
  wallMs: number;
  /** Both threads' CPU time (user and system). */
  cpuMs: number;
  peakRssMb: number;
}

export interface ExportCase {
  users: number;
  grants: number;
  files: number;
  bytes: number;
  wallMs: number;
  peakRssMb: number;
  valid: boolean;
  planSteps: number | null;
  /** The first few, when the export did not validate. */
  problems?: string[];
  phases: Record<string, Lap>;
}

/** `roster export`: open and read the store, build the fragments, write them; whether they plan empty. */
function exportTable(results: SizeResult[]): string[] {
  const rows = results.filter((r) => r.export);
  if (!rows.length) return [];
  const out = ['', ...head(['users', 'export: open', 'read', 'build', 'write', '**export**', 'files', 'MB', 'peak RSS', 'valid, plans empty'])];
  for (const r of rows) {
    const e = r.export!;
    out.push(
      row([
        r.size.toLocaleString('en'),
        s(e.phases.open?.ms),
        s(e.phases.read?.ms),
        s(e.phases.export?.ms),
        s(e.phases.write?.ms),
        `**${s(e.wallMs)}**`,
        e.files,
        (e.bytes / 1e6).toFixed(1),
        `${e.peakRssMb} MB`,
        e.valid && e.planSteps === 0 ? 'yes' : `**no** (${e.planSteps ?? 'invalid'})`,
      ]),
    );
  }
  const big = results.find((r) => r.size === 100_000)?.export;
  if (big)
    out.push(
      '',
      `- ${big.wallMs < 10_000 && big.peakRssMb < 1024 ? 'met' : '**not met**'}: export of 100,000 users under 10 s and 1 GB: ${s(big.wallMs)}, ${big.peakRssMb} MB`,
    );
  return out;
}

/** `roster users --format csv`: the CLI's whole run, CPU time beside the wall time (the machine's cores are shared). */
function usersTable(results: SizeResult[]): string[] {
  const rows = results.filter((r) => r.users);
  if (!rows.length) return [];
  const out = ['', ...head(['users', '**users --format csv**', 'CPU (user+sys)', 'rows', 'MB', 'peak RSS'])];
  for (const r of rows) {
    const u = r.users!;
    out.push(
      row([r.size.toLocaleString('en'), `**${s(u.wallMs)}**`, s(u.cpuMs), u.rows.toLocaleString('en'), (u.bytes / 1e6).toFixed(1), `${u.peakRssMb} MB`]),
    );
  }
  return out;
}

const s = (ms: number | undefined) =>
  ms === undefined ? '–' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
const total = (phases: Record<string, Lap>, ...names: string[]) => names.reduce((n, k) => n + (phases[k]?.ms ?? 0), 0);
const sum = (c: CaseResult, ...names: string[]) => total(c.phases, ...names);
/** The load's phases as `roster validate` runs them: measured on their own when they were. */
const validatePhases = (c: CaseResult) => c.validateAlone ?? c.phases;
const stepCount = (c: CaseResult) => Object.values(c.steps).reduce((a, b) => a + b, 0);
/** What `roster validate` does: read, parse, schema, merge, rules (measured on its own when it was). */
export const validateMs = (c: CaseResult) => total(validatePhases(c), 'load+parse', 'validate');
/**
 * What `roster plan` costs from start to plan: load and validate (while the
 * store is opened and read on a worker thread), what is left of that read,
 * building the live state, diff. Opening the store is in it.
 */
export const planMs = (c: CaseResult) => c.planWallMs ?? sum(c, 'load+parse', 'validate', 'open', 'read', 'diff');

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A table's header row and the rule under it. */
const head = (cells: string[]) => [row(cells), row(cells.map(() => '---'))];

export function formatTable(results: SizeResult[], runs = 1): string {
  const out: string[] = runs > 1 ? [`Each case: the median of ${runs} runs (the \`yaml\` package and the precise path: one run).`, ''] : [];
  out.push(
    ...head([
      'users',
      'layout',
      'files',
      'MB',
      'parse floor (js-yaml)',
      'JSON.parse',
      'load+parse',
      'validate',
      '**validate**',
      'plan: load+validate',
      'store open+read (left)',
      'live state',
      'diff',
      '**plan**',
      '÷ floor',
      'µs/user',
      'render',
      'peak RSS',
      'apply 1% drift',
    ]),
  );
  for (const r of results) {
    for (const c of r.cases.filter((x) => x.scenario === 'drift')) {
      const layout = r.prepared.layouts[c.layout]!;
      const floor = r.floor[`${c.layout}/js-yaml`];
      const json = r.floor[`${c.layout}/json`];
      const plan = planMs(c);
      out.push(
        row([
          r.size.toLocaleString('en'),
          c.precise ? `${c.layout}, precise path only` : c.layout,
          layout.files,
          (layout.bytes / 1e6).toFixed(1),
          s(floor?.ms),
          s(json?.ms),
          s(validatePhases(c)['load+parse']?.ms),
          s(validatePhases(c).validate?.ms),
          `**${s(validateMs(c))}**`,
          s(sum(c, 'load+parse', 'validate')),
          `${s(c.phases.open?.ms)}${c.readEarly ? '' : ' (after)'}`,
          s(c.phases.read?.ms),
          s(c.phases.diff?.ms),
          `**${s(plan)}**`,
          floor ? `${(plan / floor.ms).toFixed(1)}×` : '–',
          ((plan * 1000) / r.size).toFixed(1),
          s(c.phases.render?.ms),
          `${c.rss.diff ?? c.peakRssMb} MB`,
          `${s(c.phases.apply?.ms)} (${stepCount(c)} steps)`,
        ]),
      );
    }
  }
  out.push('', ...head(['users', 'people created', 'steps applied', 'apply', 'steps/s', 'audit events', 'peak RSS', 'next plan empty']));
  for (const r of results) {
    for (const c of r.cases.filter((x) => x.scenario === 'creates')) {
      const ms = c.phases.apply?.ms ?? 0;
      out.push(
        row([
          r.size.toLocaleString('en'),
          c.steps['user.create'] ?? 0,
          c.applied,
          s(ms),
          Math.round((c.applied * 1000) / Math.max(ms, 1)),
          c.events,
          `${c.rss.apply ?? c.peakRssMb} MB`,
          c.replanEmpty ? 'yes' : '**no**',
        ]),
      );
    }
  }
  const floors = results.flatMap((r) =>
    Object.entries(r.floor)
      .filter(([k]) => k.endsWith('/yaml'))
      .map(([k, f]) => `${r.size.toLocaleString('en')} users, ${k.split('/')[0]}: the \`yaml\` package parses in ${s(f.ms)}, peak ${f.peakRssMb} MB`),
  );
  if (floors.length) out.push('', ...floors.map((f) => `- ${f}`));
  out.push(...exportTable(results));
  out.push(...usersTable(results));
  out.push('', ...targets(results));
  return out.join('\n') + '\n';
}

/** The issue's targets, at 100,000 users on the embedded store (split layout). */
export function targets(results: SizeResult[]): string[] {
  const at = (size: number) => results.find((r) => r.size === size);
  const big = at(100_000);
  const mid = at(10_000);
  const drift = (r: SizeResult | undefined, layout = 'split') => r?.cases.find((c) => c.scenario === 'drift' && c.layout === layout && !c.precise);
  const creates = big?.cases.find((c) => c.scenario === 'creates');
  const c = drift(big);
  if (!big || !c) return ['Targets are checked at 100,000 users (run with --sizes including 100000).'];
  const floor = big.floor['split/js-yaml']!.ms;
  const perUser = (r: SizeResult | undefined) => {
    const x = drift(r);
    return x && r ? planMs(x) / r.size : undefined;
  };
  const check = (ok: boolean | undefined, text: string) => `- ${ok === undefined ? '?' : ok ? 'met' : '**not met**'}: ${text}`;
  const peak = Math.max(...big.cases.filter((x) => !x.precise).map((x) => x.rss.diff ?? x.peakRssMb));
  const ratio = perUser(big) !== undefined && perUser(mid) !== undefined ? perUser(big)! / perUser(mid)! : undefined;
  return [
    'Targets at 100,000 users (split layout):',
    check(validateMs(c) < 2000, `validate under 2 s: ${s(validateMs(c))}`),
    check(planMs(c) < 5000, `plan (load + validate + open and read the store + diff) under 5 s: ${s(planMs(c))}`),
    check(planMs(c) <= 3 * floor, `plan within 3× the parse floor (${s(floor)}): ${(planMs(c) / floor).toFixed(2)}×`),
    check(peak < 1024, `peak RSS under 1 GB while planning: ${peak} MB`),
    check(
      creates ? (creates.steps['user.create'] ?? 0) >= 10_000 && (creates.phases.apply?.ms ?? Infinity) < 15_000 : undefined,
      `apply of 10,000 creates under 15 s: ${creates ? `${s(creates.phases.apply?.ms)} for ${creates.steps['user.create']} people, ${creates.applied} steps` : '–'}`,
    ),
    check(
      ratio === undefined ? undefined : ratio <= 1.3,
      `time per user at 100,000 at most 1.3× that at 10,000: ${ratio === undefined ? '–' : `${ratio.toFixed(2)}×`}`,
    ),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href && process.argv[2]) {
  const report = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { results: SizeResult[]; runs?: number };
  process.stdout.write(formatTable(report.results, report.runs));
}
