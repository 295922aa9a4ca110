import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressReporter } from '../../src/cli/progress.ts';
import { BASE } from '../helpers/declare.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function sink(errIsTerminal: boolean) {
  const lines: string[] = [];
  return { lines, io: { err: (t: string) => void lines.push(t), errIsTerminal } };
}

describe('progress lines', () => {
  it('auto: only when stderr is a terminal; always and never as said', () => {
    expect(progressReporter('auto', sink(false).io)).toBeUndefined();
    expect(progressReporter('never', sink(true).io)).toBeUndefined();
    expect(progressReporter('auto', sink(true).io)).toBeTypeOf('function');
    expect(progressReporter('always', sink(false).io)).toBeTypeOf('function');
  });

  it('at most one line every two seconds, with the elapsed time, and none for the last step', () => {
    const { lines, io } = sink(false);
    const c = clock();
    const report = progressReporter('always', io, c.now)!;
    c.advance(1999);
    report(10, 100);
    c.advance(1);
    report(20, 100);
    c.advance(1500);
    report(30, 100);
    c.advance(2600);
    report(40, 100);
    c.advance(5000);
    report(100, 100);
    expect(lines).toEqual(['applying: 20/100 steps (2s)\n', 'applying: 40/100 steps (6s)\n']);
  });
});

describe('roster apply --progress', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /**
   * An apply confirmed on the terminal 2.5 s after it asked, so that its first
   * phase ends more than two seconds after it started, however fast the
   * machine: late enough for a progress line. The 2.5 s pass on the clock the
   * apply reads (Date.now), which jumps ahead when the answer comes, rather
   * than in real time.
   */
  function slowApply(...flags: string[]) {
    const cwd = tempTree({ 'users/base.yaml': BASE });
    const realNow = Date.now.bind(Date);
    let waited = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + waited);
    return runCli(['apply', ...flags, ...NOW], cwd, {}, async () => {
      waited += 2500;
      return 'yes';
    });
  }

  it.each([
    { flags: [], as: 'by default' },
    { flags: ['--progress', 'never'], as: 'with --progress never' },
  ])('a slow apply with stderr not a terminal prints no progress $as', async ({ flags }) => {
    const r = await slowApply(...flags);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('a slow apply prints progress lines with --progress always', async () => {
    const r = await slowApply('--progress', 'always');
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').slice(0, -1);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^applying: ([1-9]|10)\/11 steps \(\d+s\)$/);
  });

  it('refuses an unknown mode', async () => {
    const r = await runCli(['apply', '--yes', '--progress', 'sometimes', ...NOW], tempTree({ 'users/base.yaml': BASE }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: option '--progress <when>' argument 'sometimes' is invalid. Allowed choices are auto, always, never.\n");
  });
});
