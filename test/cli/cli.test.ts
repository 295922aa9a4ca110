import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstApplyOnce } from '../helpers/applied.ts';
import { BASE } from '../helpers/declare.ts';
import { runCli } from '../helpers/cli.ts';
import { tempTree, writeTree } from '../helpers/tree.ts';

const NOW = ['--now', '2026-11-23T12:00:00Z'];

/** A working dir with a declaration; every run in it shares the embedded store under .roster/. */
function project(files: Record<string, string> = { 'users/base.yaml': BASE }) {
  const cwd = tempTree(files);
  const run = (...args: string[]) => runCli([...args, ...NOW], cwd);
  return { cwd, run };
}

const firstApply = firstApplyOnce();
/** A working dir whose store has BASE applied: the first time by an apply, then as a copy of that store and its trail. */
async function appliedProject() {
  const p = project();
  await firstApply('BASE', p.cwd, async () => {
    expect((await p.run('apply', '--yes')).code).toBe(0);
  });
  return p;
}

/** The live store, as `roster plan --format json` sees it, for "nothing changed" checks. */
async function fingerprint(run: (...a: string[]) => Promise<{ stdout: string }>): Promise<string> {
  return JSON.parse((await run('plan', '--format', 'json')).stdout).liveFingerprint;
}

describe('roster validate', () => {
  it('exits 0 for a valid declaration and 1 with every problem located', async () => {
    const { cwd } = project({ 'users/a.yaml': BASE, 'users/b.yaml': 'users:\n  - email: eve@acme.test\n    role: admn\n    emial: x\n' });
    const bad = await runCli(['validate'], cwd);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('users/b.yaml:4:5: error: users[0].emial: unknown key "emial"; did you mean "email"?\n\n1 error(s), 0 warning(s)\n');

    writeTree(cwd, { 'users/b.yaml': 'users:\n  - email: eve@acme.test\n    role: admn\n' });
    const ref = await runCli(['validate', '--format', 'github'], cwd);
    expect(ref.code).toBe(1);
    expect(ref.stdout).toBe(
      '::error file=users/b.yaml,line=3,col=11,title=roster ref.role::user eve@acme.test refers to role "admn", which is not declared; did you mean "admin"?\n',
    );

    writeTree(cwd, { 'users/b.yaml': 'users: []\n' });
    const ok = await runCli(['validate', '--format', 'json'], cwd);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ formatVersion: 1, valid: true, errors: 0, warnings: 0, problems: [] });
  });

  it('rejects an unknown command with a suggestion', async () => {
    const r = await runCli(['plna'], tempTree());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('(Did you mean plan?)');
  });
});

describe('plan and apply', () => {
  it('plans, applies with --yes, and then reports no changes (Terraform exit codes)', async () => {
    const { run } = project();
    const first = await run('plan', '--detailed-exitcode');
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('+ user.create user:alice@acme.test [privileged]');
    expect(first.stdout).toMatch(/# declared; the platform sends an invitation \(users\/base\.yaml:\d+:5\)/);
    expect(first.stdout).toContain('Plan: 11 to add, 0 to change, 0 to remove.');

    const applied = await run('apply', '--yes');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(
      /Apply complete: 11 applied, 0 failed, 0 skipped in [\d.]+s\. Audit: 11 event\(s\) recorded, trail in \.roster\/audit\.jsonl\./,
    );

    const second = await run('plan', '--detailed-exitcode');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('No changes. The live system matches the declaration.\n');
    // verify --store also compares the file with the store, event by event.
    expect((await run('audit', 'verify', '--store')).stdout).toBe(
      '.roster/audit.jsonl: OK, 11 event(s), hash chain intact\nthe postgres audit store: OK, 11 event(s), hash chain intact\n.roster/audit.jsonl and the store: OK, the same 11 event(s), the same head\n',
    );
  });

  it('asks on a terminal, and refuses without one unless --yes', async () => {
    const { cwd, run } = project();
    const refused = await run('apply');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'Error: refusing to apply without confirmation: pass --yes, or apply a saved plan (roster plan --out plan.json; roster apply plan.json)\n',
    );
    const no = await runCli(['apply', ...NOW], cwd, {}, 'no');
    expect(no.code).toBe(1);
    expect(no.stderr).toBe('Apply cancelled.\n');
    const before = await fingerprint(run);
    expect(JSON.parse((await run('plan', '--format', 'json')).stdout).steps).toHaveLength(11);
    const yes = await runCli(['apply', ...NOW], cwd, {}, 'yes');
    expect(yes.code).toBe(0);
    expect(await fingerprint(run)).not.toBe(before);
  });

  it('applies a saved plan, and refuses it once stale, listing the differences', async () => {
    const { cwd, run } = project();
    expect((await run('plan', '--out', 'plan.json')).code).toBe(0);
    expect(JSON.parse(readFileSync(`${cwd}/plan.json`, 'utf8'))).toMatchObject({ kind: 'roster-plan', formatVersion: 1, plan: { formatVersion: 1 } });
    expect((await run('apply', 'plan.json')).code).toBe(0);
    const stale = await run('apply', 'plan.json');
    expect(stale.code).toBe(4);
    expect(stale.stderr).toContain(
      'Error: the saved plan is stale: the live system or the declaration changed since it was made. Make a new plan. Differences:\n  - organization.create organization:acme: in the saved plan, no longer needed\n',
    );
  });

  it('blocks a guarded plan with the overriding flag named, and runs it with the flag', async () => {
    // The loosened removal guard is applied first: a change is judged by the guard settings already in force.
    const { cwd, run } = project({ 'users/base.yaml': BASE.replace('organization: acme', 'organization: acme\n  guards: { maxRemovalPercent: 100 }') });
    await run('apply', '--yes');
    writeTree(cwd, {
      'users/base.yaml': BASE.replace('organization: acme', 'organization: acme\n  removal: delete\n  guards: { maxRemovalPercent: 100 }').replace(
        /  - email: bob@acme.test[\s\S]*$/,
        '',
      ),
    });
    const blocked = await run('plan');
    expect(blocked.code).toBe(3);
    expect(blocked.stdout).toContain(
      'Blocked by guard delete: 1 user(s) would be deleted permanently (settings.removal: delete). To proceed anyway, apply with --allow-delete.',
    );
    const refused = await run('apply', '--yes');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe('Error: the plan is blocked by delete (--allow-delete)\n');
    expect((await run('apply', '--yes', '--allow-delete')).code).toBe(0);
  });

  it('bad input exits 1 and changes nothing in the live store', async () => {
    const { cwd, run } = await appliedProject();
    const before = await fingerprint(run);
    writeTree(cwd, {
      'users/extra.yaml': 'users:\n  - email: mallory@acme.test\n    role: admin\n    password: hunter22\n  - email: trent@acme.test\n    role: ghost\n',
    });
    const r = await run('apply', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('users/extra.yaml:4:5: error: users[0].password: "password" looks like a secret');
    expect(r.stderr).not.toContain('hunter22');
    // With a declaration big enough (a megabyte of comments will do), plan reads the store on a worker thread
    // while the declaration loads: it lets the store go before it reports the problems.
    writeTree(cwd, { 'users/zz-padding.yaml': `# ${'x'.repeat(120)}\n`.repeat(9000) });
    const planned = await run('plan');
    expect(planned.code).toBe(1);
    expect(planned.stderr).toContain('users/extra.yaml:4:5: error: users[0].password');
    expect(existsSync(join(cwd, '.roster/live.lock'))).toBe(false);
    writeTree(cwd, { 'users/extra.yaml': 'users: []\n' });
    // Read early, the store is what it was when read the usual way.
    expect(await fingerprint(run)).toBe(before);
    expect(existsSync(join(cwd, '.roster/live.lock'))).toBe(false);
  });
});

describe('roster audit verify', () => {
  it('names the first bad event when a line is edited, dropped or swapped', async () => {
    const { cwd } = await appliedProject();
    const path = `${cwd}/.roster/audit.jsonl`;
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const check = async (content: string[]) => {
      writeFileSync(`${cwd}/tampered.jsonl`, content.join('\n') + '\n');
      return runCli(['audit', 'verify', 'tampered.jsonl'], cwd);
    };
    const edited = [...lines];
    edited[4] = edited[4]!.replace('"reason":"declared', '"reason":"approved by nobody');
    expect(await check(edited)).toMatchObject({ code: 1, stdout: 'tampered.jsonl: TAMPERED at event 5: its content does not match its hash (edited)\n' });
    expect((await check([...lines.slice(0, 6), ...lines.slice(7)])).stdout).toBe(
      'tampered.jsonl: TAMPERED at event 7: expected event 7, found 8 (an event was removed, inserted or moved)\n',
    );
    const swapped = [...lines];
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect((await check(swapped)).stdout).toBe('tampered.jsonl: TAMPERED at event 3: expected event 3, found 4 (an event was removed, inserted or moved)\n');
    expect((await check([...lines, 'not json'])).stdout).toBe('tampered.jsonl: TAMPERED at event 12: line 12 is not valid JSON\n');
    expect((await check(lines)).code).toBe(0);
  });
});

describe('hostile input never reaches the live store', () => {
  const cases: Record<string, string | Buffer> = {
    'malformed YAML': 'users: [\n  - email: a@acme.test\n',
    'alias bomb':
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
    '__proto__ key': 'users:\n  - email: p@acme.test\n    role: member\n    __proto__: { admin: true }\n',
    'non-UTF-8 bytes': Buffer.from([0x75, 0x73, 0x65, 0x72, 0x73, 0x3a, 0x20, 0xff, 0x0a]),
    'dangling reference': 'users:\n  - { email: z@acme.test, role: superuser }\n',
    'date that does not exist': 'users:\n  - { email: t@acme.test, role: member, expires: 2027-02-29 }\n',
    secret: 'users:\n  - { email: s@acme.test, role: member, token: abcdefghijkl }\n',
  };

  it.each(Object.keys(cases))('%s: exit 1, located error, store unchanged', async (name) => {
    const { cwd, run } = await appliedProject();
    const before = await fingerprint(run);
    writeTree(cwd, { 'users/hostile.yaml': cases[name]! });
    const r = await run('apply', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^users\/hostile\.yaml:\d+:\d+: error: /m);
    expect(r.stdout).toBe('');
    writeTree(cwd, { 'users/hostile.yaml': '' });
    expect(await fingerprint(run)).toBe(before);
  });
});
