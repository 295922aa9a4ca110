import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/durations.ts';
import { parseNow } from '../../src/cli/now.ts';
import { colorWanted } from '../../src/cli/io.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree } from '../helpers/tree.ts';
import { BASE } from '../helpers/declare.ts';

// Issue 16, problem 6: the command-line contract an admin scripts against.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('--version', () => {
  it('prints the version on stdout and exits 0', async () => {
    for (const flag of ['--version', '-V']) expect(await runCli([flag], ROOT)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('--now is strict ISO 8601', () => {
  it('takes a date, or a date and time with its offset', () => {
    expect(parseNow('2026-11-23').toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(parseNow('2026-11-23T12:00:00Z').toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(parseNow('2026-11-23T12:00:00.5+02:00').toISOString()).toBe('2026-11-23T10:00:00.500Z');
  });

  it('refuses what Date would guess at: a bare number, a day that does not exist, a time without an offset', async () => {
    for (const bad of ['1', '2026', '2026-02-31', '2026-13-01', '2026-11-23T12:00', '2026-11-23 12:00:00Z', 'Nov 23 2026', '2026-11-23T25:00:00Z']) {
      expect(() => parseNow(bad), bad).toThrow(
        `--now must be an ISO 8601 date (2026-11-23) or date and time with an offset (2026-11-23T12:00:00Z), got "${bad}"`,
      );
    }
    const r = await runCli(['validate', '--now', '1'], ROOT);
    expect(r.stderr).toContain('--now must be an ISO 8601 date');
    expect(r.code).not.toBe(0);
  });
});

describe('durations', () => {
  it('reads units from milliseconds to days, compound ones, and plain seconds', () => {
    const cases: [string, number][] = [
      ['500ms', 500],
      ['30s', 30_000],
      ['10m', 600_000],
      ['1h30m', 5_400_000],
      ['1.5h', 5_400_000],
      ['2 days', 172_800_000],
      ['30', 30_000],
      [' 2m ', 120_000],
    ];
    for (const [text, ms] of cases) expect(parseDuration(text), text).toBe(ms);
  });

  it('refuses what is not a duration, naming the option', async () => {
    for (const bad of ['', 'abc', '10 parsecs', '-5s', '1x'])
      expect(() => parseDuration(bad, '--request-timeout'), bad).toThrow(`--request-timeout must be a duration such as 30s, 10m or 1h30m, got "${bad}"`);
  });
});

describe('colour', () => {
  it('NO_COLOR turns it off, FORCE_COLOR on without a terminal (but not FORCE_COLOR=0), else only on a terminal', () => {
    expect(colorWanted({}, true)).toBe(true);
    expect(colorWanted({}, false)).toBe(false);
    expect(colorWanted({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorWanted({ FORCE_COLOR: '' }, false)).toBe(true);
    expect(colorWanted({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorWanted({ FORCE_COLOR: 'false' }, true)).toBe(false);
    expect(colorWanted({ NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
  });
});

/** A child process with roster's process guards, then `body`. */
function guarded(body: string): string {
  const dir = tempTree({});
  const script = join(dir, 'child.mjs');
  writeFileSync(
    script,
    `import { register } from ${JSON.stringify(pathToFileURL(join(ROOT, 'node_modules/tsx/dist/esm/api/index.mjs')).href)};\n` +
      `register();\nconst { guardProcess } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/cli/io.ts')).href)});\nguardProcess();\n${body}\n`,
  );
  return script;
}

describe('interruptions end quietly', () => {
  it('a reader that goes away (roster … | head): no stack trace, the status a SIGPIPE gives', () => {
    const script = guarded(
      "const line = 'x'.repeat(1000) + '\\n'; const more = () => { while (process.stdout.write(line)); process.stdout.once('drain', more); }; more();",
    );
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(script)} 2>stderr.txt | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      cwd: join(script, '..'),
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toBe('141');
    expect(readFileSync(join(script, '..', 'stderr.txt'), 'utf8')).toBe('');
  });

  it('Ctrl-C says one line and exits 130', async () => {
    const child = spawn(process.execPath, [guarded("process.stdout.write('ready\\n'); setInterval(() => {}, 1000);")], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toBe('\nroster: interrupted\n');
  });
});

describe('apply --format json', () => {
  it('prints one versioned document: the plan, each step and what became of it, the audit range; no text line after it', async () => {
    const dir = tempTree({ 'users/team.yaml': BASE });
    const NOW = ['--now', '2026-11-23T12:00:00Z'];
    const r = await runCli(['apply', '--yes', '--format', 'json', ...NOW], dir);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      formatVersion: number;
      plan: { formatVersion: number; steps: { kind: string; key: string }[] };
      ran: boolean;
      applied: number;
      failed: number;
      skipped: number;
      steps: { kind: string; key: string; result: string }[];
      audit: { events: number; firstSeq: number; lastSeq: number };
    };
    expect(doc.formatVersion).toBe(1);
    expect(doc.plan.formatVersion).toBe(1);
    expect(doc.ran).toBe(true);
    expect(doc.steps.map((s) => `${s.kind} ${s.key}`)).toEqual(doc.plan.steps.map((s) => `${s.kind} ${s.key}`));
    expect(doc.steps.every((s) => s.result === 'applied')).toBe(true);
    expect([doc.applied, doc.failed, doc.skipped]).toEqual([doc.plan.steps.length, 0, 0]);
    // The range matches the trail the run wrote.
    const trail = readFileSync(join(dir, '.roster/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number });
    expect(doc.audit).toEqual({ events: trail.length, firstSeq: trail[0]!.seq, lastSeq: trail.at(-1)!.seq });
    expect(r.stdout.trimEnd().endsWith('}')).toBe(true);

    const again = await runCli(['apply', '--yes', '--format', 'json', ...NOW], dir);
    expect(JSON.parse(again.stdout)).toMatchObject({ ran: false, applied: 0, steps: [], audit: null });
  });
});

describe('apply --quiet', () => {
  it("prints the plan's summary line and the outcome, not every step", async () => {
    const dir = tempTree({ 'users/team.yaml': BASE });
    const r = await runCli(['apply', '--yes', '--quiet', '--now', '2026-11-23T12:00:00Z'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Plan: \d+ to add, 0 to change, 0 to remove\.$/);
    expect(lines[1]).toMatch(/^Apply complete: \d+ applied, 0 failed, 0 skipped in [\d.]+s\. Audit: /);
    expect(Number(/^Plan: (\d+)/.exec(lines[0]!)![1])).toBeGreaterThan(5);
  });
});
