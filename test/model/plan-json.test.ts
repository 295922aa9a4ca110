import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyLiveState, type LiveState } from '../../src/model/live.ts';
import { planFromJson } from '../../src/model/plan-json.ts';
import type { Plan } from '../../src/model/plan.ts';
import { plan } from '../../src/plan/index.ts';
import { PHASES } from '../../src/plan/order.ts';
import { stateAfter } from '../../src/plan/state-after.ts';
import { AFTER, BEFORE } from '../adversarial/kill-matrix.fixtures.ts';
import { ALLOW_ALL } from '../helpers/apply.ts';
import { runCli } from '../helpers/cli.ts';
import { declare, NOW } from '../helpers/declare.ts';
import { tempTree } from '../helpers/tree.ts';

/** Plans that between them hold every step kind: the kill matrix's two declarations, and a renamed and an emptied organization. */
function plansOfEveryKind(): Plan[] {
  const empty: LiveState = { ...emptyLiveState(), guards: {} };
  const first = plan(declare({ 'users/all.yaml': BEFORE }), empty, NOW, ALLOW_ALL);
  const applied = stateAfter(empty, first.steps);
  // What the kill matrix adds by hand: objects roster does not manage yet, for the adopt steps.
  const live: LiveState = {
    ...applied,
    organizations: [...applied.organizations, { name: 'umbrella', displayName: null, managed: false }],
    roles: [...applied.roles, { name: 'support', description: null, owner: false, admin: false, permissions: {}, managed: false }],
    workspaces: [...applied.workspaces, { name: 'found-ws', organization: 'acme', description: null, archived: false, managed: false }],
    projects: [
      ...applied.projects,
      { name: 'found-project', organization: 'acme', owner: 'u03@acme.test', description: null, archived: false, managed: false },
    ],
    packages: [...applied.packages, { name: 'found-pkg', createdBy: null, description: null, managed: false }],
    users: [
      ...applied.users,
      {
        email: 'legacy-user@acme.test',
        name: null,
        role: 'member',
        status: 'active',
        organization: 'acme',
        department: null,
        expires: null,
        managed: false,
        workspaces: {},
        projects: [],
        packages: [],
        invitationKey: null,
        signupCredits: 0,
      },
    ],
  };
  const second = plan(declare({ 'users/all.yaml': AFTER }), live, NOW, ALLOW_ALL);
  const organizations = plan(
    declare({
      'users/all.yaml':
        'settings:\n  organization: acme\norganizations:\n  - { name: acme, displayName: Acme Corp }\nroles:\n  - { name: member }\nusers:\n  - { email: a@acme.test, role: member }\n',
    }),
    {
      ...empty,
      organizations: [
        { name: 'acme', displayName: 'Acme', managed: true },
        { name: 'vacant', displayName: null, managed: true },
      ],
    },
    NOW,
    ALLOW_ALL,
  );
  return [first, second, organizations];
}

const asJson = (p: Plan): unknown => JSON.parse(JSON.stringify(p));
const problemOf = (value: unknown) => {
  const read = planFromJson(value);
  return 'problem' in read ? read.problem : undefined;
};

describe('a plan read back from its JSON', () => {
  const plans = plansOfEveryKind();
  const json = asJson(plans[1]!) as { steps: Record<string, unknown>[] };
  const stepAt = (kind: string) => json.steps.findIndex((s) => s.kind === kind);
  /** The plan's JSON with one step changed. */
  const withStep = (kind: string, change: (step: Record<string, unknown>) => Record<string, unknown>) => {
    const copy = structuredClone(json);
    copy.steps[stepAt(kind)] = change(copy.steps[stepAt(kind)]!);
    return copy;
  };

  it('is the same plan, for every step kind', () => {
    expect(new Set(plans.flatMap((p) => p.steps.map((s) => s.kind)))).toEqual(new Set(PHASES.flat()));
    for (const p of plans) expect(planFromJson(asJson(p))).toEqual({ plan: asJson(p) });
  });

  it('is refused, saying where, when a step is not of its kind’s shape', () => {
    const i = stepAt('user.create');
    expect(problemOf(withStep('user.create', (s) => ({ ...s, kind: 'user.promote' })))).toBe(`plan.steps[${i}].kind is not a step kind`);
    expect(problemOf(withStep('user.create', (s) => ({ ...s, after: { ...(s.after as object), email: 7 } })))).toBe(
      `plan.steps[${i}].after.email is not a string`,
    );
    expect(problemOf(withStep('user.create', (s) => ({ ...s, before: { email: 'x@acme.test' } })))).toBe(`plan.steps[${i}].before is not null`);
    expect(problemOf(withStep('user.create', (s) => ({ ...s, after: { ...(s.after as object), admin: true } })))).toBe(
      `plan.steps[${i}].after.admin is not a field it has`,
    );
    const { entries: _dropped, ...withoutEntries } = json.steps[stepAt('credit.grant')]!.after as Record<string, unknown>;
    expect(problemOf(withStep('credit.grant', (s) => ({ ...s, after: withoutEntries })))).toBe(
      `plan.steps[${stepAt('credit.grant')}].after.entries is missing`,
    );
    expect(problemOf(withStep('membership.set', (s) => ({ ...s, after: { ...(s.after as object), role: 'owner' } })))).toBe(
      `plan.steps[${stepAt('membership.set')}].after.role is not one of "admin", "member", "viewer"`,
    );
    expect(problemOf(withStep('user.delete', (s) => ({ ...s, risk: ['harmless'] })))).toBe(
      `plan.steps[${stepAt('user.delete')}].risk[0] is not one of "privileged", "destructive"`,
    );
  });

  it('is refused when it is not a plan at all', () => {
    expect(problemOf(null)).toBe('plan is not an object');
    expect(problemOf({ ...json, steps: {} })).toBe('plan.steps is not a list');
    const { liveFingerprint: _gone, ...rest } = json as Record<string, unknown>;
    expect(problemOf(rest)).toBe('plan.liveFingerprint is missing');
  });

  it('apply refuses a saved plan whose step was edited out of shape, before it opens the store', async () => {
    const cwd = tempTree({});
    const saved = {
      kind: 'roster-plan',
      formatVersion: 1,
      commit: null,
      options: { allowDelete: false, allowMassRemoval: false, allowOwnerChange: false },
      plan: withStep('membership.set', (s) => ({ ...s, after: null })),
    };
    writeFileSync(`${cwd}/plan.json`, JSON.stringify(saved));
    const run = await runCli(['apply', 'plan.json'], cwd);
    expect(run.stderr).toBe(
      `Error: ${cwd}/plan.json is not a roster plan (roster plan --out FILE writes one): plan.steps[${stepAt('membership.set')}].after is not an object\n`,
    );
    expect(run.code).toBe(1);
  });
});
