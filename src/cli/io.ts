import { createInterface } from 'node:readline/promises';
import type { ApplyObserver } from '../apply/observer.ts';

/** The only place roster writes to the terminal. Tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard input is a terminal a person can answer. */
  interactive: boolean;
  color: boolean;
  /** Standard error is a terminal: a live progress line goes there by default (--progress auto). */
  errIsTerminal: boolean;
  /** The width of that terminal, when it is one (the live progress line fits in it). */
  errColumns?: number;
  ask(question: string): Promise<string>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Watches every apply this run makes, beside the progress lines (the crash tests stop the process through it). */
  applyObserver?: ApplyObserver;
}

/**
 * Colour, by the conventions other tools follow: NO_COLOR (any value) turns
 * it off; FORCE_COLOR turns it on even without a terminal (CI logs that
 * render colour), except FORCE_COLOR=0 or false; otherwise only on a terminal.
 */
export function colorWanted(env: NodeJS.ProcessEnv, isTerminal: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR.toLowerCase());
  return isTerminal;
}

/** Exit statuses of a process stopped by a signal, as shells report them (128 + the signal's number). */
export const SIGNAL_EXIT = { SIGINT: 130, SIGPIPE: 141, SIGTERM: 143 } as const;

/**
 * Quiet ends for the usual interruptions of a command-line tool: a reader
 * that goes away (`roster plan | head`) ends the run with the status a
 * SIGPIPE would give, no stack trace; Ctrl-C (and SIGTERM) say one line and
 * end with 130 (143). An apply stopped this way is what the write-ahead
 * trail is for (docs/write-ahead-audit.md): the next apply settles it.
 */
export function guardProcess(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(SIGNAL_EXIT.SIGPIPE);
    throw e;
  });
  process.stderr.on('error', () => undefined);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nroster: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}\n`);
      process.exit(SIGNAL_EXIT[signal]);
    });
  }
}

export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    interactive: Boolean(process.stdin.isTTY) && !process.env.CI,
    color: colorWanted(process.env, Boolean(process.stdout.isTTY)),
    errIsTerminal: Boolean(process.stderr.isTTY),
    // Read when drawn: the terminal may be resized during a run.
    get errColumns() {
      return process.stderr.columns;
    },
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    env: process.env,
    cwd: process.cwd(),
  };
}
