import type { ProgressObserver, ProgressPhase } from '../model/progress.ts';
import type { Io } from './io.ts';
import { progressText, type RunProgress } from './progress-text.ts';
import { inCi } from './store-location.ts';

/** `--progress`: auto shows it on a terminal, and as plain lines in CI. */
export const PROGRESS_MODES = ['auto', 'always', 'never'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** How progress shows: a live line redrawn in place, plain lines for a log, or not at all. */
export type ProgressDisplay = 'live' | 'lines' | 'off';

/** Plain lines come at most this often, and not in a run's first seconds: a short run stays quiet. */
const EVERY_MS = 2000;

/**
 * A live line on a terminal; plain lines in CI, or anywhere with --progress
 * always; else nothing, so a script reading stderr sees only what went wrong.
 * A terminal in CI is a log viewer: it gets plain lines too.
 */
export function displayFor(mode: ProgressMode, io: Pick<Io, 'errIsTerminal' | 'env'>, quiet = false): ProgressDisplay {
  if (mode === 'never' || quiet) return 'off';
  const ci = inCi(io.env);
  if (io.errIsTerminal && !ci) return 'live';
  return mode === 'always' || ci ? 'lines' : 'off';
}

/** Progress for one command run. The terminal display (and its library) loads only when it is used. */
export async function openProgress(mode: ProgressMode, io: Io, quiet = false): Promise<RunProgress> {
  const display = displayFor(mode, io, quiet);
  if (display === 'live') return (await import('./progress-live.ts')).liveProgress(io);
  if (display === 'lines') return { ...progressLines(io), io };
  return { start: () => undefined, advance: () => undefined, end: () => undefined, io, close: () => undefined };
}

/** The live read as a stage, for a command that reads outside an apply. */
export async function reading<T>(progress: ProgressObserver, read: () => Promise<T>): Promise<T> {
  progress.start('read');
  const live = await read();
  progress.end('read');
  return live;
}

/**
 * Plain progress lines for a log: no cursor movement, no colour, at most one
 * every two seconds and none in the first two. A counted stage says its
 * count as it moves (not for its last unit: the command's summary follows);
 * a stage that cannot count, such as a read, says it is still going.
 */
export function progressLines(io: Pick<Io, 'err'>, now: () => number = Date.now, every = EVERY_MS): ProgressObserver & { close(): void } {
  let last = now();
  let stage: { phase: ProgressPhase; started: number; done?: number; total?: number } | undefined;
  const say = () => {
    const t = now();
    if (!stage || t - last < every) return;
    last = t;
    io.err(`${progressText(stage.phase, t - stage.started, stage.done, stage.total)}\n`);
  };
  // A stage without a count (a read) has nothing to move on; it says it is still going.
  const heartbeat = setInterval(() => {
    if (stage && stage.total === undefined && now() - stage.started >= every) say();
  }, every / 4);
  heartbeat.unref();
  return {
    start: (phase, total) => void (stage = { phase, started: now(), ...(total !== undefined && { total }) }),
    advance: (done, total) => {
      if (!stage) return;
      stage.done = done;
      stage.total = total ?? stage.total;
      if (done !== stage.total) say();
    },
    end: () => void (stage = undefined),
    close: () => {
      clearInterval(heartbeat);
      stage = undefined;
    },
  };
}
