import { describe, expect, it } from 'vitest';
import type { Review } from '../../src/model/approvals.ts';
import { approvingReviewers, describeMissing, evaluateApprovals, latestVerdicts, privilegedSteps, ruleInForce } from '../../src/plan/approvals.ts';
import { plan } from '../../src/plan/index.ts';
import { emptyLiveState } from '../../src/model/live.ts';
import { BASE, declare, NOW } from '../helpers/declare.ts';

const HEAD = 'a'.repeat(40);
const rule = { minApprovals: 1, approvers: ['Carol', 'dave'] };
const pr = { author: 'bob', headSha: HEAD };
const review = (reviewer: string, state: Review['state'], submittedAt: string, commitId = HEAD): Review => ({ reviewer, state, commitId, submittedAt });
const needs = [{ kind: 'user.update', key: 'user:bob@acme.test', why: 'grants the admin role', source: 'users/a.yaml:3:5' }];

describe('the two-person rule', () => {
  it('marks privileged steps with why: admin and owner roles, workspace admin, large and `all` grants', () => {
    const d = declare({
      'users/a.yaml': `${BASE}  - email: carl@acme.test\n    role: member\n    workspaces: { analytics: admin }\ncredits:\n  - id: big\n    to: bob@acme.test\n    amount: 1000\n    reason: Purchase order\n  - id: small\n    to: bob@acme.test\n    amount: 10\n    reason: Thanks\n  - id: everyone\n    to: { all: true }\n    amount: 1\n    reason: Hello\n`,
    });
    expect(privilegedSteps(plan(d, emptyLiveState(), NOW).steps).map((n) => `${n.kind} ${n.key}: ${n.why}`)).toEqual([
      // The roles' definitions give their holders admin and owner access (judged on effective access).
      'role.create role:admin: gives role admin admin access, held by people',
      'role.create role:owner: gives role owner owner access, held by people',
      'user.create user:alice@acme.test: grants the admin role',
      'user.create user:olivia@acme.test: grants the owner role',
      'membership.set membership:analytics:carl@acme.test: makes carl@acme.test admin of workspace analytics',
      'credit.grant credit:big: grants 1000 credits in total',
      'credit.grant credit:everyone: credits every user (4 in total)',
    ]);
  });

  it('counts the latest verdict per reviewer; a comment after an approval does not take it back, a dismissal does', () => {
    const reviews = [
      review('carol', 'APPROVED', '2026-11-20T10:00:00Z'),
      review('carol', 'COMMENTED', '2026-11-20T11:00:00Z'),
      review('dave', 'APPROVED', '2026-11-20T10:00:00Z'),
      review('dave', 'DISMISSED', '2026-11-20T12:00:00Z'),
      review('erin', 'CHANGES_REQUESTED', '2026-11-20T10:00:00Z'),
      review('erin', 'APPROVED', '2026-11-20T13:00:00Z'),
    ];
    expect([...latestVerdicts(reviews).values()].map((r) => `${r.reviewer} ${r.state}`)).toEqual(['carol APPROVED', 'dave DISMISSED', 'erin APPROVED']);
    expect(approvingReviewers(reviews)).toEqual(['carol', 'erin']);
  });

  it('refuses without approval, refuses the author alone, accepts a listed approver (logins compared case-insensitively)', () => {
    expect(evaluateApprovals(needs, rule, pr, []).satisfied).toBe(false);
    const authorOnly = evaluateApprovals(needs, rule, pr, [review('Bob', 'APPROVED', '2026-11-20T10:00:00Z')]);
    expect(authorOnly).toMatchObject({ satisfied: false, approvedBy: [], notCounted: [{ reviewer: 'Bob', reason: 'the author' }] });
    expect(evaluateApprovals(needs, rule, pr, [review('carol', 'APPROVED', '2026-11-20T10:00:00Z')])).toMatchObject({ satisfied: true, approvedBy: ['carol'] });
    expect(
      evaluateApprovals(needs, { minApprovals: 2, approvers: ['carol', 'dave'] }, pr, [review('carol', 'APPROVED', '2026-11-20T10:00:00Z')]).satisfied,
    ).toBe(false);
    // Without a pull request no approval can exist; nothing privileged, or no rule, needs none.
    expect(evaluateApprovals(needs, rule, null, []).satisfied).toBe(false);
    expect(evaluateApprovals([], rule, null, []).satisfied).toBe(true);
    expect(evaluateApprovals(needs, null, pr, []).satisfied).toBe(true);
    expect(describeMissing(evaluateApprovals(needs, rule, null, []), null)).toEqual([
      'user.update user:bob@acme.test (grants the admin role; users/a.yaml:3:5) needs 1 approving review(s) from Carol, dave on a pull request, and no pull request is associated with this commit',
    ]);
  });

  it('judges by the base rule; changing the rule is itself a change that needs approval', () => {
    expect(ruleInForce(rule, null, 'users/s.yaml:1:1')).toEqual({
      rule,
      change: [{ kind: 'settings.approvals', key: 'settings:approvals', why: 'changes the two-person rule itself', source: 'users/s.yaml:1:1' }],
    });
    expect(ruleInForce(rule, { minApprovals: 1, approvers: ['DAVE', 'carol'] }, 'x')).toEqual({ rule, change: [] });
    expect(ruleInForce(null, rule, 'x')).toEqual({ rule, change: [] });
  });
});
