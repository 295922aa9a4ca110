import { describe, expect, it } from 'vitest';
import type { LabelEvent } from '../../src/github/api.ts';
import type { Review } from '../../src/model/approvals.ts';
import { evaluateOverrides } from '../../src/github/overrides.ts';

const LABEL = 'roster:allow-owner-change';
const pr = { author: 'bob', headSha: 'h2' };
const rule = { minApprovals: 1, approvers: ['carol', 'dave'] };
const labeled = (actor: string | null, at = '2026-11-21T09:00:00Z'): LabelEvent => ({ event: 'labeled', label: LABEL, actor, createdAt: at });
const approval = (reviewer: string, at: string, commitId = 'h2'): Review => ({ reviewer, state: 'APPROVED', commitId, submittedAt: at });
const judge = (input: Partial<Parameters<typeof evaluateOverrides>[0]>) =>
  evaluateOverrides({ labels: [LABEL], events: [labeled('dave')], pr, rule, reviews: [approval('carol', '2026-11-21T10:00:00Z')], ...input }).map(
    (r) => `${r.granted ? 'granted' : 'not granted'}: ${r.why}`,
  );

describe('whether an override label counts', () => {
  it('counts a label added by someone else and approved after it on the head commit', () => {
    expect(judge({})).toEqual(['granted: added by dave, approved after that by carol']);
  });

  it('asks for one approval even when the rule asks for none', () => {
    expect(judge({ rule: { minApprovals: 0, approvers: ['carol'] }, reviews: [] })).toEqual([
      'not granted: needs 1 approving review(s) of the latest commit from carol (not the author, bob) given after dave added the label; none yet',
    ]);
  });

  it('needs a rule on the base branch', () => {
    expect(judge({ rule: null })).toEqual([
      'not granted: the base branch sets no settings.approvals.privileged rule, and an override from a pull request needs one',
    ]);
  });

  it('knows the author whatever the case of the login, and a deleted labeler counts for no one', () => {
    expect(judge({ events: [labeled('Bob')] })).toEqual(['not granted: the label was added by the author, Bob; someone else must add it']);
    expect(judge({ events: [labeled(null)] })).toEqual(['not granted: who added the label is not known']);
  });

  it('judges by the last time the label was added, and only approvals of the head commit', () => {
    expect(judge({ events: [labeled('dave', '2026-11-21T09:00:00Z'), labeled('dave', '2026-11-21T11:00:00Z')] })[0]).toMatch(/^not granted: .*; none yet$/);
    expect(judge({ reviews: [approval('carol', '2026-11-21T10:00:00Z', 'h1')] })[0]).toMatch(/^not granted: .*; none yet$/);
  });

  it('ignores labels that ask for nothing roster knows, and labels not on the pull request now', () => {
    expect(judge({ labels: ['roster:allow-everything'] })).toEqual([]);
    expect(judge({ labels: [] })).toEqual([]);
  });
});
