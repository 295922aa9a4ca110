/**
 * One benchmark case, in its own process, as the CLI runs it: load and
 * validate the declaration while the seeded store is read on a worker thread
 * (`roster plan`), build the live state, plan, render; then open the store
 * again and apply (`roster apply`). Each phase timed (wall and CPU) with the
 * peak memory after it, and the plan's whole wall time. Prints one JSON line.
 *
 *   node bin/dev.js bench/measure.ts --work /tmp/roster-bench/10000 --layout split --scenario drift
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyPlan } from '../src/apply/index.ts';
import { loadDeclaration, type LoadPhase } from '../src/declaration/index.ts';
import { plan } from '../src/plan/index.ts';
import { hasErrors } from '../src/model/problems.ts';
import { earlyReadFor } from '../src/providers/postgres/early-read.ts';
import { PostgresProvider } from '../src/providers/postgres/index.ts';
import { renderPlanMarkdown, renderPlanText } from '../src/render/plan.ts';
import { NOW } from './model.ts';
import { peakRssMb, round, timed, type Lap } from './stopwatch.ts';

const { values } = parseArgs({
  options: {
    work: { type: 'string' },
    layout: { type: 'string' },
    scenario: { type: 'string' },
    precise: { type: 'boolean' },
    'validate-only': { type: 'boolean' },
  },
});
const work = values.work!;
const layout = values.layout ?? 'split';
const scenario = values.scenario ?? 'drift';
const declarationDir = join(work, layout, 'users');

const phases: Record<string, Lap> = {};
const rss: Record<string, number> = {};
const record = (name: string, lap: Lap) => {
  phases[name] = lap;
  rss[name] = peakRssMb();
};

/** Loads the declaration, recording its phases. */
async function load() {
  const timings: Partial<Record<LoadPhase, number>> = {};
  const loaded = await timed(() => loadDeclaration('users', { now: NOW, cwd: join(work, layout), timings, precise: values.precise ?? false }));
  const { declaration, problems } = loaded.value;
  if (!declaration || hasErrors(problems)) throw new Error(`the benchmark declaration is invalid: ${JSON.stringify(problems.slice(0, 5))}`);
  // One call does both; its own lap times split it, the CPU time is shared in proportion.
  const share = (ms: number) => ({ ms: round(ms), cpuMs: round((loaded.lap.cpuMs * ms) / Math.max(loaded.lap.ms, 1)) });
  record('load+parse', share((timings.read ?? 0) + (timings.parse ?? 0)));
  record('validate', share((timings.schema ?? 0) + (timings.merge ?? 0) + (timings.rules ?? 0)));
  return { ...loaded.value, declaration };
}

if (values['validate-only']) {
  // What `roster validate` costs: the load alone, nothing else in the process.
  await load();
  process.stdout.write(JSON.stringify({ layout, phases, rss, peakRssMb: peakRssMb() }) + '\n');
  process.exit(0);
}

// The store is changed by the apply: work on a copy, on the disk before anything is timed (its write-back
// otherwise competes with the measured work).
const scratch = mkdtempSync(join(tmpdir(), 'roster-bench-'));
const dataDir = join(scratch, 'live');
cpSync(join(work, `store-${scenario}`), dataDir, { recursive: true });
execFileSync('sync');

// As `roster plan` does it: a big enough declaration loads while the store is read on a worker thread.
const started = performance.now();
const early = await earlyReadFor(declarationDir, dataDir);
const { declaration, problems, parsedBy } = await load();
// Opening and reading the store, or what is left of it once the declaration is loaded (the worker's CPU is not in this lap's).
const opened = await timed(() => PostgresProvider.open({ dataDir, ...(early && { early }) }));
record('open', opened.lap);
let provider = opened.value;
let result;
let planWallMs = 0;
try {
  const steps: Record<string, number> = {};
  {
    // In a block: `roster apply` reads and plans once, under its lock, so this plan is let go before the apply.
    const read = await timed(() => provider.read());
    record('read', read.lap);
    const planned = await timed(() => plan(declaration, read.value, NOW));
    record('diff', planned.lap);
    planWallMs = round(performance.now() - started);
    const rendered = await timed(() => renderPlanText(planned.value, { color: false }).length + renderPlanMarkdown(planned.value).length);
    record('render', rendered.lap);
    for (const s of planned.value.steps) steps[s.kind] = (steps[s.kind] ?? 0) + 1;
  }
  // `roster apply` opens the store itself, on the main thread; that open is not part of the apply's time.
  await provider.close();
  provider = await PostgresProvider.open({ dataDir });
  const applied = await timed(() =>
    applyPlan(provider, {
      replan: (live) => plan(declaration, live, NOW),
      actor: { name: 'bench' },
      commit: null,
      lockTimeoutMs: 0,
      auditLog: join(scratch, 'audit.jsonl'),
    }),
  );
  record('apply', applied.lap);
  const outcomes = applied.value.outcomes;
  result = {
    users: declaration.users.length,
    files: declaration.files.length,
    parsedBy: { fast: parsedBy.fast.length, precise: parsedBy.precise.length, located: parsedBy.located },
    warnings: problems.length,
    steps,
    applied: outcomes.filter((o) => o.result === 'applied').length,
    failed: outcomes.filter((o) => o.result !== 'applied').length,
    events: applied.value.events.length,
    replanEmpty: plan(declaration, await provider.read(), NOW).steps.length === 0,
  };
} finally {
  await provider.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.stdout.write(
  JSON.stringify({
    layout,
    scenario,
    precise: values.precise ?? false,
    ...result,
    readEarly: early !== undefined,
    planWallMs,
    phases,
    rss,
    peakRssMb: peakRssMb(),
  }) + '\n',
);
