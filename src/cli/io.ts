import { createInterface } from 'node:readline/promises';

/** The only place roster writes to the terminal. Tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard input is a terminal a person can answer. */
  interactive: boolean;
  color: boolean;
  /** Standard error is a terminal: progress lines go there by default (--progress auto). */
  errIsTerminal: boolean;
  ask(question: string): Promise<string>;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    interactive: Boolean(process.stdin.isTTY) && !process.env.CI,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    errIsTerminal: Boolean(process.stderr.isTTY),
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
