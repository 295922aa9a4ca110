import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers/declare.ts';
import { assertNoSecrets, runCli, secretsOf } from '../helpers/cli.ts';
import { dropSchemas, SERVER_URL } from '../helpers/store.ts';
import { tempTree } from '../helpers/tree.ts';

const PASSWORD = 'Sup3r-S3cret-pw_do-not-print';
const NOW = ['--now', '2026-11-23T12:00:00Z'];

/** Every file a run left behind (plan files, the audit trail), as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.includes('.roster/live'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

it('the scanner itself finds secrets in variables and URLs', () => {
  const env = { GITHUB_TOKEN: 'ghp_abcdefgh', ROSTER_DATABASE_URL: `postgres://u:${encodeURIComponent('p@ss word!')}@h/db`, HOME: '/root' };
  expect(secretsOf(env)).toEqual(['ghp_abcdefgh', 'p@ss word!']);
  expect(() => assertNoSecrets(env, 'error: p@ss word! refused')).toThrow(/a secret \(p@ss…\) appeared/);
});

describe.runIf(SERVER_URL)('a database URL with a password', () => {
  const withPassword = (url: string) => {
    const u = new URL(url);
    u.password = PASSWORD; // the server trusts loopback, so any password connects
    return u.toString();
  };

  it('never appears in output, plan files, audit events or error messages', async () => {
    const cwd = tempTree({ 'users/a.yaml': BASE });
    const env = { ROSTER_DATABASE_URL: withPassword(SERVER_URL!), ROSTER_DATABASE_SCHEMA: `roster_secret_${process.pid}` };
    try {
      const runs = [
        await runCli(['validate', ...NOW], cwd, env),
        // A plan never creates the store: migrate does.
        await runCli(['migrate'], cwd, env),
        await runCli(['plan', '--format', 'json', ...NOW], cwd, env),
        await runCli(['plan', '--format', 'markdown', '--out', 'plan.json', ...NOW], cwd, env),
        await runCli(['apply', 'plan.json', ...NOW], cwd, env),
        await runCli(['audit', 'verify', '--store', ...NOW], cwd, env),
        // Failures: a bad schema name, a server that does not answer, a database that does not exist.
        await runCli(['plan', ...NOW], cwd, { ...env, ROSTER_DATABASE_SCHEMA: 'bad-name' }),
        await runCli(['plan', ...NOW], cwd, { ...env, ROSTER_DATABASE_URL: `postgres://roster:${PASSWORD}@127.0.0.1:1/test` }),
        await runCli(['plan', ...NOW], cwd, { ...env, ROSTER_DATABASE_URL: withPassword(SERVER_URL!.replace(/\/[^/]*$/, '/no_such_database')) }),
      ];
      // A bad schema name is bad input (1); a server or database that cannot be reached is a store that cannot be used (8).
      expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 1, 8, 8]);
      expect(runs[7]!.stderr).toMatch(/^Error: cannot open the PostgreSQL store at postgres:\/\/roster:\*\*\*@127\.0\.0\.1:1\/test: /);
      const everything = [...runs.flatMap((r) => [r.stdout, r.stderr]), ...filesUnder(cwd)];
      expect(everything.join('\n')).not.toContain(PASSWORD);
      expect(everything.join('\n')).toContain('***'); // the target is shown, redacted
    } finally {
      await dropSchemas(SERVER_URL!, [env.ROSTER_DATABASE_SCHEMA]);
    }
  });
});
