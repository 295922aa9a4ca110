import { expect, it } from 'vitest';
import { firstApplyOnce } from '../helpers/applied.ts';
import { describeUnless } from '../helpers/each.ts';
import type { Plan } from '../../src/model/plan.ts';
import { runCli } from '../helpers/cli.ts';
import { sharedStores, type SharedStore } from '../helpers/store.ts';
import { tempTree, writeTree, yaml } from '../helpers/tree.ts';

/**
 * Issue 12, defects 1-4 and the seed-003 handover, each through the CLI on
 * a real store: privilege and guards are judged on effective access.
 */
const NOW = ['--now', '2026-11-23T12:00:00Z'];

const ROLES = {
  owner: '{ name: owner, owner: true, admin: true }',
  admin: '{ name: admin, admin: true }',
  member: '{ name: member }',
};

function declaration({
  roles = ROLES,
  users = '',
  settings = '',
  credits = '',
}: { roles?: typeof ROLES; users?: string; settings?: string; credits?: string } = {}): string {
  return (
    yaml`
    settings:
      organization: acme
    ` +
    settings +
    yaml`
    organizations: [{ name: acme }, { name: globex }]
    roles:
    ` +
    Object.values(roles)
      .map((r) => `  - ${r}\n`)
      .join('') +
    yaml`
    workspaces:
      - { name: analytics, organization: acme }
      - { name: research, organization: globex }
    projects:
      - { name: apollo, organization: acme, owner: olivia@acme.test }
    users:
      - { email: olivia@acme.test, role: owner }
      - { email: alice@acme.test, role: admin }
      - { email: gina@acme.test, role: owner, organization: globex }
    ` +
    users +
    (credits && `credits:\n${credits}`)
  );
}

const BOB = '  - { email: bob@acme.test, role: member, workspaces: { analytics: admin }, projects: [apollo] }\n';

for (const kind of sharedStores('privilege')) {
  describeUnless(kind.skip, `privilege is judged on effective access (${kind.name})`, () => {
    const firstApply = firstApplyOnce();
    /** A working dir whose declaration has been applied to a fresh store (an embedded one copied when an earlier test applied the same). */
    async function applied(files: string) {
      const cwd = tempTree({ 'users/a.yaml': files });
      const store: SharedStore = kind.make(cwd);
      const run = (...args: string[]) => runCli([...args, ...NOW], cwd, store.env);
      const apply = async () => {
        const first = await run('apply', '--yes');
        expect(first.code, first.stderr).toBe(0);
      };
      await (kind.embedded ? firstApply(files, cwd, apply) : apply());
      const planJson = async () => {
        const r = await run('plan', '--format', 'json');
        return { code: r.code, plan: JSON.parse(r.stdout) as Plan };
      };
      const risk = (p: Plan, key: string, kind?: string) => p.steps.find((s) => s.key === key && (!kind || s.kind === kind))?.risk;
      return { cwd, store, run, planJson, risk, rewrite: (text: string) => writeTree(cwd, { 'users/a.yaml': text }) };
    }

    it('defect 1: a role redefined to admin or owner is a privileged step', async () => {
      const t = await applied(declaration({ users: BOB }));
      for (const flag of ['admin: true', 'owner: true']) {
        t.rewrite(declaration({ roles: { ...ROLES, member: `{ name: member, ${flag} }` }, users: BOB }));
        const { code, plan } = await t.planJson();
        expect(code).toBe(0);
        expect(plan.steps.map((s) => `${s.kind} ${s.key}`)).toEqual(['role.update role:member']);
        expect(t.risk(plan, 'role:member')).toEqual(['privileged']);
      }
    });

    it('defect 1: removing the owner and admin flags from the roles is blocked like demoting the people', async () => {
      const t = await applied(declaration({ users: BOB }));
      t.rewrite(declaration({ roles: { owner: '{ name: owner }', admin: '{ name: admin }', member: ROLES.member }, users: BOB }));
      const { code, plan } = await t.planJson();
      expect(code).toBe(3);
      expect(plan.blocks.map((b) => [b.guard, b.message])).toEqual([
        ['minAdmins', 'organization acme: active admins would drop from 2 to 0; guards.minAdmins is 1'],
        [
          'ownerChange',
          'olivia@acme.test would stop being an active owner of organization acme; owners are only removed with --allow-owner-change (a handover to a new owner in the same change needs no flag)',
        ],
        ['lastOwner', 'no active owner would remain in organization acme'],
        ['minAdmins', 'organization globex: active admins would drop from 1 to 0; guards.minAdmins is 1'],
        [
          'ownerChange',
          'gina@acme.test would stop being an active owner of organization globex; owners are only removed with --allow-owner-change (a handover to a new owner in the same change needs no flag)',
        ],
        ['lastOwner', 'no active owner would remain in organization globex'],
      ]);
      const refused = await t.run('apply', '--yes');
      expect(refused.code).toBe(3);
    });

    it('defect 2: a transfer with workspaces and projects omitted leaves nothing of the old organization', async () => {
      const t = await applied(declaration({ users: BOB }));
      t.rewrite(declaration({ users: '  - { email: bob@acme.test, role: member, organization: globex }\n' }));
      const { plan } = await t.planJson();
      expect(plan.steps.map((s) => `${s.kind} ${s.key}`)).toEqual([
        'user.transfer user:bob@acme.test',
        'membership.remove membership:analytics:bob@acme.test',
        'project.unassign project-assignment:apollo:bob@acme.test',
      ]);
      expect((await t.run('apply', '--yes')).code).toBe(0);
      const provider = await t.store.open();
      try {
        const bob = (await provider.read()).users.find((u) => u.email === 'bob@acme.test')!;
        expect({ organization: bob.organization, workspaces: bob.workspaces, projects: bob.projects }).toEqual({
          organization: 'globex',
          workspaces: {},
          projects: [],
        });
      } finally {
        await provider.close();
      }
      expect((await t.planJson()).plan.steps).toEqual([]);
    });

    it('defect 3: transferring the only owner of an organization is blocked and privileged', async () => {
      const t = await applied(declaration());
      t.rewrite(
        declaration().replace('{ email: gina@acme.test, role: owner, organization: globex }', '{ email: gina@acme.test, role: owner, organization: acme }'),
      );
      const { code, plan } = await t.planJson();
      expect(code).toBe(3);
      expect(plan.blocks.map((b) => `${b.guard} ${b.keys.join(',')}`)).toEqual([
        'minAdmins user:gina@acme.test',
        'ownerChange user:gina@acme.test',
        'lastOwner user:gina@acme.test',
      ]);
      expect(t.risk(plan, 'user:gina@acme.test', 'user.transfer')).toEqual(['privileged']);
    });

    it('defect 3: reactivating an inactive admin is privileged', async () => {
      const t = await applied(declaration({ users: '  - { email: amy@acme.test, role: admin, status: inactive }\n' }));
      t.rewrite(declaration({ users: '  - { email: amy@acme.test, role: admin, status: active }\n' }));
      const { code, plan } = await t.planJson();
      expect(code).toBe(0);
      expect(plan.steps.map((s) => `${s.kind} ${s.key} ${s.risk.join(',')}`)).toEqual(['user.reactivate user:amy@acme.test privileged']);
    });

    it('defect 4: the credit threshold is the live one; raising it in the same change is itself privileged', async () => {
      const t = await applied(declaration({ users: BOB }));
      const raised = '  guards: { privilegedCreditAmount: 1000000000 }\n';
      const grant = (id: string, amount: number) => `  - { id: ${id}, to: bob@acme.test, amount: ${amount}, reason: Loyalty }\n`;
      t.rewrite(declaration({ users: BOB, settings: raised, credits: grant('big', 999999999) }));
      const { code, plan } = await t.planJson();
      expect(code).toBe(0);
      expect(plan.steps.map((s) => `${s.kind} ${s.key} ${s.risk.join(',')}`)).toEqual([
        'settings.update settings:guards.privilegedCreditAmount privileged',
        'credit.grant credit:big privileged',
      ]);
      expect((await t.run('apply', '--yes')).code).toBe(0);
      expect((await t.planJson()).plan.steps).toEqual([]);
      // Once applied, the raised threshold is the live one.
      t.rewrite(declaration({ users: BOB, settings: raised, credits: grant('big', 999999999) + grant('more', 5000) }));
      expect((await t.planJson()).plan.steps.map((s) => `${s.kind} ${s.key} ${s.risk.join(',')}`)).toEqual(['credit.grant credit:more ']);
    });

    it('seed 003: an ownership handover in one change needs no flag, because an owner remains', async () => {
      const t = await applied(declaration());
      t.rewrite(
        declaration({ users: '  - { email: nora@acme.test, role: owner }\n' }).replace(
          '{ email: olivia@acme.test, role: owner }',
          '{ email: olivia@acme.test, role: admin }',
        ),
      );
      const { code, plan } = await t.planJson();
      expect(plan.blocks).toEqual([]);
      expect(code).toBe(0);
      expect(plan.steps.map((s) => `${s.kind} ${s.key} ${s.risk.join(',')}`)).toEqual([
        'user.create user:nora@acme.test privileged',
        'user.update user:olivia@acme.test privileged',
      ]);
      expect((await t.run('apply', '--yes')).code).toBe(0);
      expect((await t.planJson()).plan.steps).toEqual([]);
    });
  });
}
