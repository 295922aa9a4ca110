import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';
import { displayFor, openProgress, progressLines } from '../../src/cli/progress.ts';
import { retryReporter } from '../../src/cli/retries.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import type { ProgressPhase } from '../../src/model/progress.ts';
import { BASE, NOW as NOW_DATE } from '../helpers/declare.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
const ESC = '\x1b';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** A run's io whose stderr is (or is not) a terminal, with stdout and stderr in the order they were written. */
function fakeIo(errIsTerminal: boolean, env: NodeJS.ProcessEnv = {}) {
  const writes: { to: 'out' | 'err'; text: string }[] = [];
  const io: Io = {
    out: (text) => void writes.push({ to: 'out', text }),
    err: (text) => void writes.push({ to: 'err', text }),
    interactive: false,
    color: false,
    errIsTerminal,
    errColumns: 100,
    ask: async () => 'yes',
    env,
    cwd: '/',
  };
  const of = (to: 'out' | 'err') =>
    writes
      .filter((w) => w.to === to)
      .map((w) => w.text)
      .join('');
  return { io, writes, out: () => of('out'), err: () => of('err') };
}

describe('where progress shows', () => {
  const io = (errIsTerminal: boolean, env: NodeJS.ProcessEnv = {}) => ({ errIsTerminal, env });

  it('auto: a live line on a terminal, plain lines in CI, else nothing', () => {
    expect(displayFor('auto', io(true))).toBe('live');
    expect(displayFor('auto', io(false))).toBe('off');
    expect(displayFor('auto', io(false, { CI: 'true' }))).toBe('lines');
    expect(displayFor('auto', io(false, { GITHUB_ACTIONS: 'true' }))).toBe('lines');
    expect(displayFor('auto', io(false, { CI: 'false' }))).toBe('off');
    // A terminal in CI is a log viewer: no cursor movement there.
    expect(displayFor('auto', io(true, { CI: '1' }))).toBe('lines');
  });

  it('always: plain lines where there is no terminal; never and --quiet: nothing', () => {
    expect(displayFor('always', io(false))).toBe('lines');
    expect(displayFor('always', io(true))).toBe('live');
    expect(displayFor('never', io(true))).toBe('off');
    expect(displayFor('always', io(true), true)).toBe('off');
    expect(displayFor('auto', io(false, { CI: 'true' }), true)).toBe('off');
  });

  it('off: every stage is silent and the io is the run’s own', async () => {
    const { io: quiet, writes } = fakeIo(true);
    const progress = await openProgress('never', quiet);
    progress.start('apply', 10);
    progress.advance(5, 10);
    progress.close();
    expect(progress.io).toBe(quiet);
    expect(writes).toEqual([]);
  });
});

describe('plain progress lines', () => {
  it('at most one line every two seconds, with the elapsed time, and none for the last step', () => {
    const { io, err } = fakeIo(false);
    const c = clock();
    const lines = progressLines(io, c.now);
    lines.start('apply', 100);
    c.advance(1999);
    lines.advance(10, 100);
    c.advance(1);
    lines.advance(20, 100);
    c.advance(1500);
    lines.advance(30, 100);
    c.advance(2600);
    lines.advance(40, 100);
    c.advance(5000);
    lines.advance(100, 100);
    lines.close();
    expect(err()).toBe('applying: 20/100 steps (2s)\napplying: 40/100 steps (6s)\n');
  });

  it('loading counts files; a stage that cannot count says it is still going; never any escape code', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const { io, err } = fakeIo(false);
      const lines = progressLines(io);
      lines.start('load');
      lines.advance(300, 1000);
      vi.advanceTimersByTime(2100);
      expect(err()).toBe('');
      lines.advance(600, 1000);
      lines.end('load');
      lines.start('read');
      vi.advanceTimersByTime(1900);
      expect(err()).toBe('loading the declaration: 600/1000 files (2s)\n');
      vi.advanceTimersByTime(600);
      lines.end('read');
      vi.advanceTimersByTime(10_000);
      lines.close();
      lines.start('read');
      vi.advanceTimersByTime(10_000);
      expect(err()).toBe('loading the declaration: 600/1000 files (2s)\nreading the live system (2s)\n');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a big tree shows its files as they are read', () => {
    const files = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`users/u${i}.yaml`, i ? `users:\n  - email: u${i}@example.com\n    name: U${i}\n    role: member\n` : BASE]),
    );
    const seen: string[] = [];
    const dir = tempTree(files);
    loadDeclaration(`${dir}/users`, {
      now: NOW_DATE,
      cwd: dir,
      progress: {
        start: (phase: ProgressPhase) => void seen.push(`start ${phase}`),
        advance: (done, total) => void seen.push(`${done}/${total}`),
        end: (phase: ProgressPhase) => void seen.push(`end ${phase}`),
      },
    });
    expect(seen).toEqual(['start load', '0/5', '1/5', '2/5', '3/5', '4/5', 'end load']);
  });
});

describe('the live line on a terminal', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => void vi.useRealTimers());

  it('a spinner while a stage has no size, then a bar by steps with the elapsed time; cleared when it ends', async () => {
    const { io, err } = fakeIo(true);
    const progress = await openProgress('auto', io);
    progress.start('read');
    vi.advanceTimersByTime(1100);
    expect(err()).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] reading the live system 1s/);
    progress.end('read');
    progress.start('apply', 40);
    progress.advance(10, 40);
    vi.advanceTimersByTime(2000);
    expect(err()).toContain('applying █████░░░░░░░░░░░░░░░ 10/40 steps 2s');
    const before = err().length;
    progress.close();
    // Stopping clears the line (cursor to column 1, erase below) and writes nothing else.
    const cleared = err();
    expect(cleared.slice(before)).toMatch(new RegExp(`^(${ESC}\\[\\d*[GJK])+$`));
    vi.advanceTimersByTime(5000);
    expect(err()).toBe(cleared);
  });

  it('a stage over before the first redraw writes nothing at all', async () => {
    const { io, writes } = fakeIo(true);
    const progress = await openProgress('always', io);
    progress.start('load');
    progress.advance(0, 3);
    vi.advanceTimersByTime(50);
    progress.end('load');
    progress.close();
    expect(writes).toEqual([]);
  });

  it('a synchronous stage (loading files) is drawn without the timer', async () => {
    const { io, err } = fakeIo(true);
    const progress = await openProgress('auto', io);
    progress.start('load');
    // No timer runs: only the clock moves, as while files are parsed.
    vi.setSystemTime(1_000_150);
    progress.advance(2, 8);
    expect(err()).toContain('loading the declaration █████░░░░░░░░░░░░░░░ 2/8 files 0s');
    progress.close();
  });

  it('a retry’s wait appears above the line, with today’s words, and the line is drawn again below it', async () => {
    const { io, err } = fakeIo(true);
    const progress = await openProgress('auto', io);
    progress.start('read');
    vi.advanceTimersByTime(300);
    retryReporter(progress.io)({ request: 'GET /orgs/acme/members', reason: 'HTTP 502: Server Error', attempt: 2, retries: 5, waitMs: 1500 });
    const text = err();
    const retry = text.indexOf('GitHub: GET /orgs/acme/members failed (HTTP 502: Server Error); retry 2 of 5 in 1.5s\n');
    expect(retry).toBeGreaterThan(0);
    expect(text.slice(retry)).toMatch(/\n.*reading the live system 0s/);
    progress.close();
  });

  it('stdout is written with the line cleared first, byte for byte, and never inside it', async () => {
    const { io, writes, out } = fakeIo(true);
    const progress = await openProgress('auto', io);
    progress.start('apply', 4);
    vi.advanceTimersByTime(300);
    const document = '{\n  "formatVersion": 1\n}\n';
    progress.io.out(document);
    progress.close();
    expect(out()).toBe(document);
    const at = writes.findIndex((w) => w.to === 'out');
    // Just before: the cursor back to column 1 and the line erased.
    expect(writes.slice(at - 2, at).map((w) => w.text)).toEqual([`${ESC}[1G`, `${ESC}[2K`]);
    expect(writes[at + 1]!.text).toContain(`${ESC}[1G`);
  });

  it('a question stops the line first', async () => {
    const { io, writes } = fakeIo(true);
    const progress = await openProgress('auto', io);
    progress.start('read');
    vi.advanceTimersByTime(300);
    const answer = progress.io.ask('Do you want to perform these actions? ');
    const count = writes.length;
    vi.advanceTimersByTime(1000);
    expect(writes.length).toBe(count);
    await expect(answer).resolves.toBe('yes');
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

  it('--format json: stdout is the same byte for byte with a live line on stderr', async () => {
    const run = async (errIsTerminal: boolean, ...flags: string[]) => {
      const cwd = tempTree({ 'users/base.yaml': BASE });
      const { io, out, err } = fakeIo(errIsTerminal, { PATH: process.env.PATH, HOME: process.env.HOME, ROSTER_ACTOR: 'test' });
      const code = await main(['plan', '--format', 'json', ...flags, ...NOW], { ...io, cwd });
      return { code, out: out(), err: err() };
    };
    const [live, never] = [await run(true), await run(true, '--progress', 'never')];
    expect(live.code).toBe(0);
    expect(live.out).toBe(never.out);
    expect(never.err).toBe('');
  });
});
