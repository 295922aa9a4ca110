import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/index.ts';
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../src/render/plan.ts';
import { renderProblemsGithub } from '../../src/render/problems.ts';
import { BASE, NOW, declare } from '../helpers/declare.ts';
import { baseUsers, liveUser, liveWith } from '../helpers/live.ts';

/** Digests and instants change with any input; the snapshots are about the shape. */
const mask = (text: string) => text.replace(/sha256:[0-9a-f]{64}/g, 'sha256:<digest>').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');

const LONG_BEFORE = 'Read-only analytics for the finance team, refreshed every night from the warehouse.';
const LONG_AFTER = 'Read-only analytics for the finance and compliance teams, refreshed every hour from the warehouse.';

function samplePlan() {
  const d = declare({
    'users/base.yaml':
      BASE.replace('  - name: member\n', `  - name: member\n  - name: auditor\n    description: ${LONG_AFTER}\n`).replace(
        'role: member\n    workspaces',
        'role: admin\n    workspaces',
      ) +
      `  - { email: new@acme.test, role: member, workspaces: {} }\ncredits:\n  - { id: launch, to: { all: true }, amount: 500, reason: Launch promotion }\n`,
  });
  const live = liveWith([...baseUsers(), liveUser('gone@acme.test'), liveUser('legacy@acme.test', { managed: false })], {});
  live.roles.push({ name: 'auditor', description: LONG_BEFORE, owner: false, admin: false, permissions: {}, managed: true });
  return plan(d, live, NOW, { allowDelete: false, allowMassRemoval: true, allowOwnerChange: false });
}

describe('rendered plans', () => {
  it('text reads like Terraform, with word diffs for long values', () => {
    const text = renderPlanText(samplePlan(), { color: false });
    expect(text).toContain(
      '~ description = Read-only analytics for the finance [-team-]{+and compliance teams+}, refreshed every [-night-]{+hour+} from the warehouse.',
    );
    expect(mask(text)).toMatchSnapshot();
  });

  it('markdown for pull requests', () => {
    expect(mask(renderPlanMarkdown(samplePlan()))).toMatchSnapshot();
  });

  it('json keeps the documented, versioned shape', () => {
    const json = JSON.parse(renderPlanJson(samplePlan()));
    expect(Object.keys(json).sort()).toEqual([
      'blocks',
      'desiredDigest',
      'formatVersion',
      'liveFingerprint',
      'now',
      'problems',
      'steps',
      'summary',
      'unmanaged',
    ]);
    expect(json.formatVersion).toBe(1);
    expect(mask(JSON.stringify(json, null, 2))).toMatchSnapshot();
  });
});

it('github annotations escape what the workflow command syntax needs', () => {
  expect(renderProblemsGithub([{ severity: 'error', code: 'x', message: 'a: 50%,\nnext', at: { file: 'users/a,b.yaml', line: 3, col: 7 } }])).toBe(
    '::error file=users/a%2Cb.yaml,line=3,col=7,title=roster x::a: 50%25,%0Anext',
  );
});

describe('a plan with errors and no steps', () => {
  it('does not claim "No changes", in text or markdown', () => {
    const [md, text] = [renderPlanMarkdown, renderPlanText];
    const plan = {
      ...samplePlan(),
      steps: [],
      blocks: [],
      unmanaged: [],
      problems: [{ severity: 'error' as const, code: 'credit.immutable', message: 'credit grant g was already applied and cannot change' }],
    };
    for (const out of [text(plan, { color: false }), md(plan)]) {
      expect(out).not.toContain('No changes');
      expect(out).toContain('The plan has 1 error(s); fix them, then plan again. Nothing can be applied until then.');
    }
    expect(text({ ...plan, problems: [] }, { color: false })).toBe('No changes. The live system matches the declaration.\n');
  });
});
