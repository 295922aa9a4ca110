import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE } from '../helpers/declare.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
/** A user who expired before NOW: validation warns on every run that reads the declaration, nothing is blocked. */
const EXPIRED = '  - email: gone@acme.test\n    role: member\n    expires: 2026-01-01\n';
const WARNING = /^users\/base\.yaml:\d+:\d+: warning: user gone@acme\.test expired on 2026-01-01/m;

const cwd = tempTree({ 'users/base.yaml': BASE + EXPIRED });
const out = tempTree();

beforeAll(async () => {
  const applied = await runCli(['apply', '--yes', ...NOW], cwd);
  expect(applied.code, applied.stderr).toBe(0);
});

/** Each command with --format json: what stderr holds besides (the validation warning where the declaration is read as input). */
const COMMANDS: { name: string; args: string[]; stderr: 'warning' | 'empty' }[] = [
  // validate's own output is the problems: the warning is in the document, not on stderr.
  { name: 'validate', args: ['validate'], stderr: 'empty' },
  { name: 'plan', args: ['plan'], stderr: 'warning' },
  { name: 'apply (nothing to do)', args: ['apply', '--yes'], stderr: 'warning' },
  { name: 'audit list', args: ['audit', 'list'], stderr: 'empty' },
  { name: 'users', args: ['users'], stderr: 'warning' },
  { name: 'export to a temp dir', args: ['export', '--out', out], stderr: 'warning' },
];

describe('--format json: one JSON document on stdout, diagnostics on stderr', () => {
  it.each(COMMANDS)('$name', async ({ args, stderr }) => {
    const r = await runCli([...args, '--format', 'json', ...NOW], cwd);
    expect(r.code, r.stderr).toBe(0);
    // JSON.parse takes exactly one document: a second one, or any line of text around it, throws.
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(JSON.parse(r.stdout)).toMatchObject({ formatVersion: 1 });
    expect(r.stdout).not.toMatch(/warning:|^Note:|^Error/m);
    if (stderr === 'empty') expect(r.stderr).toBe('');
    else expect(r.stderr).toMatch(WARNING);
  });

  it('validate puts the warning in its document', async () => {
    const r = await runCli(['validate', '--format', 'json', ...NOW], cwd);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, warnings: 1, problems: [{ severity: 'warning', code: 'user.expired' }] });
  });

  it('export --format json lists the fragments it wrote', async () => {
    const dir = tempTree();
    const r = await runCli(['export', '--out', dir, '--format', 'json', ...NOW], cwd);
    const doc = JSON.parse(r.stdout) as { fragments: string[]; accounts: number };
    expect(doc.fragments.length).toBeGreaterThan(0);
    expect(doc.accounts).toBeGreaterThanOrEqual(3);
    for (const f of doc.fragments) expect(existsSync(join(dir, f)), f).toBe(true);
    const check = await runCli(['validate', '--dir', dir, '--format', 'json', ...NOW], cwd);
    expect(JSON.parse(check.stdout)).toMatchObject({ valid: true });
  });
});
