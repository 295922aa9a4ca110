import type { ApprovalStatus, NeedsApproval, Review } from '../model/approvals.ts';
import type { ApprovalRule, Step } from '../model/plan.ts';

/**
 * The two-person rule (settings.approvals.privileged), pure policy beside
 * the plan's risk rules: which steps need approval and why, which reviews
 * count, and what is missing. github/ fetches the reviews.
 */

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** In words, why a step is privileged (plan/ marks it; this says which rule of DESIGN §1 made it so). */
export function privilegeReason(step: Step): string {
  switch (step.kind) {
    case 'user.delete':
      return 'deletes a user';
    case 'credit.grant': {
      const total = step.after.entries.reduce((sum, e) => sum + Math.abs(e.amount), 0);
      const target = step.after.target;
      return typeof target === 'object' && target !== null && 'all' in target ? `credits every user (${total} in total)` : `grants ${total} credits in total`;
    }
    case 'membership.set':
      return `makes ${step.after.user} admin of workspace ${step.after.workspace}`;
  }
  const after = step.after;
  if (after !== null && 'role' in after && typeof after.role === 'string') return `grants the ${after.role} role`;
  const role = step.key.slice('role:'.length);
  switch (step.kind) {
    case 'role.create':
    case 'role.adopt':
    case 'role.update':
      return step.after.owner === true
        ? `gives role ${role} owner access, held by people`
        : step.after.admin === true
          ? `gives role ${role} admin access, held by people`
          : `changes role ${role}, held by people`;
    case 'user.reactivate':
      return `gives ${step.after.email} back access that includes admin or owner`;
    case 'user.transfer':
      return `moves ${step.after.email} to organization ${String(step.after.organization)}, changing who holds admin or owner`;
    case 'settings.update':
      return `changes ${step.key.slice('settings:'.length)}, which decides what is guarded or privileged`;
  }
  return 'raises effective access';
}

/** The steps of a plan that need the two-person rule. */
export function privilegedSteps(steps: readonly Step[]): NeedsApproval[] {
  return steps.filter((s) => s.risk.includes('privileged')).map((s) => ({ kind: s.kind, key: s.key, why: privilegeReason(s), source: s.source }));
}

/**
 * GitHub's rule for what a reviewer's reviews add up to: the latest review
 * that approves, requests changes or was dismissed counts; comments after an
 * approval do not take it back.
 */
export function latestVerdicts(reviews: Iterable<Review>): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (r.state !== 'APPROVED' && r.state !== 'CHANGES_REQUESTED' && r.state !== 'DISMISSED') continue;
    const key = r.reviewer.toLowerCase();
    const was = latest.get(key);
    if (!was || (r.submittedAt ?? '') >= (was.submittedAt ?? '')) latest.set(key, r);
  }
  return latest;
}

/** Everyone whose latest verdict approves, for the audit trail (whether or not they are listed approvers). */
export function approvingReviewers(reviews: Iterable<Review>): string[] {
  return [...latestVerdicts(reviews).values()]
    .filter((r) => r.state === 'APPROVED')
    .map((r) => r.reviewer)
    .sort();
}

/**
 * The two-person rule. An approval counts when it is the reviewer's latest
 * verdict, was given on the pull request's head commit (what is merged is
 * what was approved), comes from a listed approver, and not from the author.
 */
export function evaluateApprovals(
  needs: NeedsApproval[],
  rule: ApprovalRule | null,
  pr: { author: string; headSha: string } | null,
  reviews: Iterable<Review>,
): ApprovalStatus {
  const approvedBy: string[] = [];
  const notCounted: ApprovalStatus['notCounted'] = [];
  for (const r of latestVerdicts(reviews).values()) {
    if (r.state !== 'APPROVED') continue;
    if (pr && same(r.reviewer, pr.author)) notCounted.push({ reviewer: r.reviewer, reason: 'the author' });
    else if (!rule?.approvers.some((a) => same(a, r.reviewer))) notCounted.push({ reviewer: r.reviewer, reason: 'not in settings.approvals' });
    else if (pr && r.commitId !== pr.headSha) notCounted.push({ reviewer: r.reviewer, reason: `approved an earlier commit (${r.commitId.slice(0, 7)})` });
    else approvedBy.push(r.reviewer);
  }
  approvedBy.sort();
  notCounted.sort((a, b) => a.reviewer.localeCompare(b.reviewer));
  const satisfied = needs.length === 0 || rule === null || (pr !== null && approvedBy.length >= rule.minApprovals);
  return { rule, needs, approvedBy, notCounted, satisfied };
}

/** The rule in force: the base commit's, so a pull request cannot relax the rule that judges it; a change to it needs approval too. */
export function ruleInForce(base: ApprovalRule | null, head: ApprovalRule | null, headSource: string): { rule: ApprovalRule | null; change: NeedsApproval[] } {
  const key = (r: ApprovalRule | null) => (r ? JSON.stringify({ m: r.minApprovals, a: r.approvers.map((a) => a.toLowerCase()).sort() }) : 'none');
  const change: NeedsApproval[] =
    base && key(base) !== key(head)
      ? [{ kind: 'settings.approvals', key: 'settings:approvals', why: 'changes the two-person rule itself', source: headSource }]
      : [];
  return { rule: base ?? head, change };
}

/** What is missing, one line per item, for the refusal and the PR check. */
export function describeMissing(status: ApprovalStatus, pr: { number: number; author: string } | null): string[] {
  if (status.satisfied || !status.rule) return [];
  const { rule } = status;
  const have = status.approvedBy.length ? `approved so far by ${status.approvedBy.join(', ')}` : 'no counting approval yet';
  const ignored = status.notCounted.length ? `; not counted: ${status.notCounted.map((n) => `${n.reviewer} (${n.reason})`).join(', ')}` : '';
  const needed = pr
    ? `${rule.minApprovals} approving review(s) on pull request #${pr.number} from ${rule.approvers.join(', ')} (not the author, ${pr.author}); ${have}${ignored}`
    : `${rule.minApprovals} approving review(s) from ${rule.approvers.join(', ')} on a pull request, and no pull request is associated with this commit`;
  return status.needs.map((n) => `${n.kind} ${n.key} (${n.why}; ${n.source}) needs ${needed}`);
}
