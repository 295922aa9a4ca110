import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fragmentsIn } from '../../src/engine/export.ts';
import { loadDeclaration } from '../../src/declaration/index.ts';
import type { Declaration } from '../../src/model/declaration.ts';
import { plan } from '../../src/plan/index.ts';
import { converge } from '../helpers/apply.ts';
import { runCli } from '../helpers/cli.ts';
import { NOW, declare, messages } from '../helpers/declare.ts';
import { describeEach } from '../helpers/each.ts';
import { targets, type Live, type Target } from '../helpers/targets.ts';
import { tempTree } from '../helpers/tree.ts';

const now = ['--now', NOW.toISOString()];

/**
 * A small estate with every kind the target can hold: names, departments
 * and descriptions where held, an inactive and an invited user, another
 * organization, and (postgres) projects, packages, policies and a ledger
 * with awarded, purchased, negative and selector grants.
 */
export function fixture(t: Target): string {
  const pg = t.provider === 'postgres';
  const gh = t.provider === 'github';
  const wsAdmin = t.supports.workspaceAdmin ? 'admin' : 'member';
  const person = (email: string, login: string, fields: string[]) => [
    `  - email: ${email}`,
    ...(gh ? [`    github: ${login}`] : []),
    ...fields.map((f) => `    ${f}`),
  ];
  return [
    '# yaml-language-server: $schema=../schema/roster.schema.json',
    'settings:',
    `  provider: ${t.provider}`,
    '  organization: acme',
    `  exclude: [${gh ? 'breakglass@users.noreply.github.com' : 'breakglass@acme.test'}]`,
    '  guards: { maxRemovalPercent: 100, minAdmins: 1 }',
    ...(pg ? ['  policies: { signupCredits: 10, lowBalanceThreshold: 5 }'] : []),
    'organizations:',
    pg ? '  - { name: acme, displayName: "Acme: the company" }' : '  - name: acme',
    ...(t.supports.transfer ? ['  - name: globex'] : []),
    'roles:',
    pg ? '  - { name: admin, admin: true, description: "Runs the place" }' : '  - { name: admin, admin: true }',
    '  - { name: member }',
    ...(pg ? ['  - name: auditor', '    permissions: { analytics: [view, export], billing: [view] }'] : []),
    'workspaces:',
    pg ? '  - { name: analytics, description: "Dashboards # and reports" }' : '  - name: analytics',
    '  - name: research',
    ...(t.supports.transfer ? ['  - { name: lab, organization: globex }'] : []),
    ...(pg
      ? ['projects:', '  - { name: apollo, owner: alice@acme.test, description: Engine }', 'packages:', '  - { name: kit, createdBy: alice@acme.test }']
      : []),
    'users:',
    ...person('alice@acme.test', 'alice-gh', [
      ...(gh ? [] : ['name: "Alice O\'Neil"', 'department: R&D']),
      'role: admin',
      `workspaces: { research: ${wsAdmin}, analytics: member }`,
      ...(pg ? ['projects: [apollo]', 'packages: [kit]', 'expires: 2027-12-31'] : []),
    ]),
    ...person('bob@acme.test', 'bob-gh', [...(gh ? [] : ['name: Bob', 'department: Sales']), 'role: member', 'workspaces: { analytics: member }']),
    ...person('carol@acme.test', 'carol-gh', ['role: member', 'status: inactive']),
    ...(pg
      ? person('dave@acme.test', 'dave-gh', ['role: auditor', 'status: invited', 'department: Finance', 'resendInvitation: "2026-11-01"', 'workspaces: {}'])
      : []),
    ...(t.supports.transfer ? person('erin@globex.test', 'erin-gh', ['role: member', 'organization: globex', 'workspaces: { lab: member }']) : []),
    ...(pg
      ? [
          'credits:',
          '  - { id: award-1, to: bob@acme.test, amount: 100, kind: awarded, reason: "Hackathon: first place" }',
          '  - { id: po-1, to: alice@acme.test, amount: 500, kind: purchased, reason: PO 1 }',
          '  - { id: po-1-fix, to: alice@acme.test, amount: -200, kind: purchased, reason: PO 1 invoiced for 300 }',
          '  - { id: members, to: { role: member }, amount: 20, reason: Welcome }',
          '  - { id: pilot, to: { workspace: analytics }, amount: 5, kind: awarded, reason: Pilot }',
          '  - { id: globex, to: { organization: globex }, amount: 7, reason: Tenant launch }',
        ]
      : []),
    '',
  ].join('\n');
}

describeEach(targets())('roster export: $name', (target) => {
  let live: Live;
  let cwd: string;
  let env: Record<string, string>;
  let d: Declaration;
  beforeAll(async () => {
    live = await target.start();
    cwd = tempTree({ 'users/estate.yaml': fixture(target) });
    d = declare({ 'users/estate.yaml': fixture(target) });
    const provider = await live.provider(d);
    try {
      const result = await converge(provider, d);
      expect(result.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
    } finally {
      await provider.close();
    }
    env = live.env(cwd);
  });
  afterAll(async () => {
    await live?.close();
  });

  const read = (dir: string) => Object.fromEntries(fragmentsIn(join(cwd, dir)).map((f) => [f, readFileSync(join(cwd, dir, f), 'utf8')]));

  it('writes a declaration that validates and plans empty, and the same bytes twice', async () => {
    const first = await runCli(['export', '--out', 'exported', ...now], cwd, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const loaded = loadDeclaration(join(cwd, 'exported'), { now: NOW, cwd });
    expect(messages(loaded)).toEqual([]);
    const validate = await runCli(['validate', '--dir', 'exported'], cwd, env);
    expect(validate.code).toBe(0);
    const planned = await runCli(['plan', '--dir', 'exported', '--detailed-exitcode', ...now], cwd, env);
    expect(planned.stdout).toContain('No changes');
    expect(planned.code).toBe(0);

    const second = await runCli(['export', '--out', 'again', ...now], cwd, env);
    expect(second.code).toBe(0);
    expect(read('again')).toEqual(read('exported'));

    // Everything declared came back: the same people with the same fields, the same grants.
    const x = loaded.declaration!;
    const strip = <T extends object>(xs: T[]) =>
      xs.map(({ at: _at, ...rest }: T & { at?: unknown }) => rest).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    const expected = d.users.filter((u) => !(target.provider === 'github' && u.status === 'inactive'));
    expect(strip(x.users).map((u) => u.email)).toEqual(strip(expected).map((u) => u.email));
    expect(strip(x.credits)).toEqual(strip(d.credits));
    expect(x.settings.policies).toEqual(d.settings.policies);
    if (target.provider === 'postgres') {
      // Users are created invited (the platform invites them); a user without access has no workspaces to declare.
      const seen = (us: Declaration['users']) =>
        strip(us.map((u) => ({ ...u, status: u.status === 'invited' ? 'active' : u.status, workspaces: u.workspaces ?? {} })));
      expect(seen(x.users)).toEqual(seen(d.users));
      expect(strip(x.roles)).toEqual(strip(d.roles));
      expect(strip(x.projects)).toEqual(strip(d.projects));
      expect(strip(x.packages)).toEqual(strip(d.packages));
      expect(strip(x.organizations)).toEqual(strip(d.organizations));
    }
  });

  it('lays people out by organization and department, one kind per file, the modeline on top', async () => {
    const files = read('exported');
    for (const [path, text] of Object.entries(files))
      expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${'../'.repeat(path.split('/').length)}schema/roster.schema.json`);
    expect(Object.keys(files)).toContain('settings.yaml');
    expect(Object.keys(files)).toContain('workspaces.yaml');
    expect(Object.keys(files).some((f) => f.startsWith('people/acme/'))).toBe(true);
    if (target.provider === 'postgres')
      expect(Object.keys(files)).toEqual(
        expect.arrayContaining([
          'credits.yaml',
          'people/acme/r-d.yaml',
          'people/acme/finance.yaml',
          'people/globex/no-department.yaml',
          'projects.yaml',
          'packages.yaml',
          'roles.yaml',
        ]),
      );
  });

  it('refuses to write over existing fragments', async () => {
    const again = await runCli(['export', '--out', 'exported', ...now], cwd, env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds fragments.*--merge/);
  });

  it('--include-unmanaged takes in accounts made by hand, so one apply adopts them', async () => {
    await live.addByHand(target.provider === 'github' ? 'zed-gh@users.noreply.github.com' : 'zed@acme.test', 'zed-gh');
    const zed = target.provider === 'github' ? 'zed-gh@users.noreply.github.com' : 'zed@acme.test';
    const without = await runCli(['export', '--out', 'managed-only', ...now], cwd, env);
    expect(without.code).toBe(0);
    expect(Object.values(read('managed-only')).join('')).not.toContain(zed);

    const adopted = await runCli(['export', '--out', 'adopt', '--include-unmanaged', ...now], cwd, env);
    expect(adopted.code).toBe(0);
    expect(Object.values(read('adopt')).join('')).toContain(`email: ${zed}`);
    const planned = await runCli(['plan', '--dir', 'adopt', '--format', 'json', ...now], cwd, env);
    expect(planned.stderr).toBe('');
    expect(planned.stdout).toContain('"steps"');
    const steps = (JSON.parse(planned.stdout) as { steps: { kind: string; key: string }[] }).steps;
    // SCIM's hand-made account has no organization: it gets the default one as it is adopted.
    expect(steps.map((s) => `${s.kind} ${s.key}`)).toEqual([`user.adopt user:${zed}`, ...(target.provider === 'scim' ? [`user.transfer user:${zed}`] : [])]);
    const applied = await runCli(['apply', '--dir', 'adopt', '--yes', '--progress', 'never', ...now], cwd, env);
    expect(applied.code).toBe(0);
    const after = await runCli(['plan', '--dir', 'adopt', '--detailed-exitcode', ...now], cwd, env);
    expect(after.code).toBe(0);
  });

  it('is read-only: the live state is the same before and after', async () => {
    const provider = await live.provider(d);
    let before;
    try {
      before = await provider.read();
    } finally {
      await provider.close();
    }
    expect((await runCli(['export', '--out', 'readonly', ...now], cwd, env)).code).toBe(0);
    const provider2 = await live.provider(d);
    try {
      expect(await provider2.read()).toEqual(before);
      expect(plan(d, before, NOW).problems.filter((p) => p.severity === 'error')).toEqual([]);
    } finally {
      await provider2.close();
    }
  });
});
