import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';

/**
 * Every CLI run in the suite carries these credentials, and every output is
 * scanned for them (and for any other secret-looking variable the test sets):
 * a token or password printed anywhere fails the test that printed it.
 */
export const CANARY_SECRETS = {
  GITHUB_TOKEN: 'ghp_canaryTokenThatMustNeverBePrinted0001',
  ROSTER_SCIM_TOKEN: 'scim-canary-token-that-must-never-be-printed',
};

/** The secret values of an environment: secret-looking variables, and passwords inside URLs. */
export function secretsOf(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!value) continue;
    if (/TOKEN|SECRET|PASSWORD|PASSWD/i.test(key)) out.push(value);
    if (/^[a-z]+:\/\//i.test(value)) {
      try {
        const password = decodeURIComponent(new URL(value).password);
        if (password) out.push(password);
      } catch {
        // not a URL after all
      }
    }
  }
  return out.filter((s) => s.length >= 6);
}

export function assertNoSecrets(env: Record<string, string | undefined>, ...outputs: string[]): void {
  for (const secret of secretsOf(env)) {
    for (const output of outputs) {
      if (output.includes(secret)) throw new Error(`a secret (${secret.slice(0, 4)}…) appeared in the output:\n${output.slice(0, 2000)}`);
    }
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with captured output (no terminal, no colour). With
 * an answer, standard input is a terminal and each question gets it (or what
 * the function resolves to, when it does).
 */
export async function runCli(args: string[], cwd: string, env: Record<string, string> = {}, answer?: string | (() => Promise<string>)): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    interactive: answer !== undefined,
    color: false,
    errIsTerminal: false,
    ask: async () => (typeof answer === 'function' ? answer() : (answer ?? '')),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ROSTER_ACTOR: 'test', ...CANARY_SECRETS, ...env },
    cwd,
  };
  const code = await main(args, io);
  assertNoSecrets(io.env, stdout, stderr);
  return { code, stdout, stderr };
}

const BIN = fileURLToPath(new URL('../../bin/roster.js', import.meta.url));
const FAILPOINT_ENTRY = fileURLToPath(new URL('./failpoint-entry.mjs', import.meta.url));

/** Runs the real `roster` binary in a child process (crash and concurrency tests). */
export function spawnCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return spawnScript(BIN, args, cwd, env);
}

/**
 * Runs `roster` in a child process that SIGKILLs itself at `point` of its
 * apply (`kill-after-step:3`, `kill-after-intent:1`, `kill-after-event:2`;
 * see failpoint-entry.mjs).
 */
export function spawnCliKilledAt(
  point: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return spawnScript(FAILPOINT_ENTRY, args, cwd, { ...env, ROSTER_FAILPOINT: point });
}

function spawnScript(script: string, args: string[], cwd: string, env: Record<string, string>): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const childEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ROSTER_ACTOR: 'test', NO_COLOR: '1', ...CANARY_SECRETS, ...env };
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      try {
        assertNoSecrets(childEnv, stdout, stderr);
      } catch (e) {
        reject(e);
        return;
      }
      resolve({ code: code ?? -1, signal, stdout, stderr });
    });
  });
}
