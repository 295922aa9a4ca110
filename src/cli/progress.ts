import type { Io } from './io.ts';

/** `--progress`: auto shows progress lines only when stderr is a terminal. */
export const PROGRESS_MODES = ['auto', 'always', 'never'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** A long apply reports at most this often; a short one stays quiet. */
const EVERY_MS = 2000;

/**
 * The apply's progress lines on stderr, or undefined when they are off. Off by
 * default when stderr is not a terminal, so a log or a script reading stderr
 * sees only what went wrong unless it asks for progress (--progress always).
 */
export function progressReporter(mode: ProgressMode, io: Pick<Io, 'err' | 'errIsTerminal'>, now: () => number = Date.now): ((done: number, total: number) => void) | undefined {
  if (mode === 'never' || (mode === 'auto' && !io.errIsTerminal)) return undefined;
  const started = now();
  let last = started;
  return (done, total) => {
    if (done === total || now() - last < EVERY_MS) return;
    last = now();
    io.err(`applying: ${done}/${total} steps (${Math.round((last - started) / 1000)}s)\n`);
  };
}
