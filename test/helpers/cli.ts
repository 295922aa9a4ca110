import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output (no terminal, no colour). */
export async function runCli(args: string[], cwd: string, env: Record<string, string> = {}, answer?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    interactive: answer !== undefined,
    color: false,
    ask: async () => answer ?? '',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ROSTER_ACTOR: 'test', ...env },
    cwd,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const BIN = fileURLToPath(new URL('../../bin/roster.js', import.meta.url));

/** Runs the real `roster` binary in a child process (crash and concurrency tests). */
export function spawnCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ROSTER_ACTOR: 'test', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
}
