import type { OverrideGrants } from '../model/plan.ts';
import type { ApprovalRule, OverrideFlag, PlanOptions } from '../model/plan.ts';
import type { GitHubApi, LabelEvent } from './api.ts';
import type { Review } from '../model/approvals.ts';
import { latestVerdicts } from '../plan/approvals.ts';
import { collect } from './environment.ts';

/** The labels by which a pull request asks for a guard override, and the flag each stands for. */
export const OVERRIDE_LABELS: { label: string; flag: OverrideFlag; option: keyof PlanOptions }[] = [
  { label: 'roster:allow-delete', flag: '--allow-delete', option: 'allowDelete' },
  { label: 'roster:allow-mass-removal', flag: '--allow-mass-removal', option: 'allowMassRemoval' },
  { label: 'roster:allow-owner-change', flag: '--allow-owner-change', option: 'allowOwnerChange' },
];

/** One override a pull request asks for, and whether it counts. */
export interface OverrideRequest {
  label: string;
  flag: OverrideFlag;
  option: keyof PlanOptions;
  /** Who last added the label, and when (null when the events do not say). */
  labeledBy: string | null;
  labeledAt: string | null;
  /** Listed approvers, not the author, whose approval of the head commit came after the label. */
  approvedBy: string[];
  granted: boolean;
  /** In words: why it counts, or what is missing. */
  why: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const after = (a: string | null, b: string) => a !== null && Date.parse(a) > Date.parse(b);

/**
 * The rule (docs/overrides.md). A label counts when it is on the pull
 * request now, was last added by someone other than the author, and the
 * rule of the base branch (settings.approvals.privileged, at least one
 * approval) is met by listed approvers other than the author whose latest
 * verdict approves the head commit and was given after the label was added.
 * So the author can neither grant an override alone nor slip a label in
 * after the reviews, and a pull request cannot name its own approvers.
 */
export function evaluateOverrides(input: {
  labels: string[];
  events: LabelEvent[];
  pr: { author: string; headSha: string };
  rule: ApprovalRule | null;
  reviews: Review[];
}): OverrideRequest[] {
  const { pr, rule } = input;
  const out: OverrideRequest[] = [];
  for (const { label, flag, option } of OVERRIDE_LABELS) {
    if (!input.labels.includes(label)) continue;
    const added = input.events
      .filter((e) => e.event === 'labeled' && e.label === label)
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
      .at(-1);
    const labeledBy = added?.actor ?? null;
    const labeledAt = added?.createdAt ?? null;
    const approvedBy =
      labeledAt === null || rule === null
        ? []
        : [...latestVerdicts(input.reviews).values()]
            .filter(
              (r) =>
                r.state === 'APPROVED' &&
                r.commitId === pr.headSha &&
                !same(r.reviewer, pr.author) &&
                rule.approvers.some((a) => same(a, r.reviewer)) &&
                after(r.submittedAt, labeledAt),
            )
            .map((r) => r.reviewer)
            .sort();
    const needed = Math.max(1, rule?.minApprovals ?? 1);
    const why =
      labeledBy === null
        ? 'who added the label is not known'
        : same(labeledBy, pr.author)
          ? `the label was added by the author, ${labeledBy}; someone else must add it`
          : rule === null
            ? 'the base branch sets no settings.approvals.privileged rule, and an override from a pull request needs one'
            : approvedBy.length < needed
              ? `needs ${needed} approving review(s) of the latest commit from ${rule.approvers.join(', ')} (not the author, ${pr.author}) given after ${labeledBy} added the label; ${approvedBy.length ? `so far ${approvedBy.join(', ')}` : 'none yet'}`
              : `added by ${labeledBy}, approved after that by ${approvedBy.join(', ')}`;
    out.push({
      label,
      flag,
      option,
      labeledBy,
      labeledAt,
      approvedBy,
      granted: labeledBy !== null && !same(labeledBy, pr.author) && rule !== null && approvedBy.length >= needed,
      why,
    });
  }
  return out;
}

/** The overrides a pull request asks for, read from GitHub as they are now. */
export async function pullRequestOverrides(
  api: GitHubApi,
  pr: { number: number; author: string; headSha: string },
  rule: ApprovalRule | null,
  reviews: Review[],
): Promise<OverrideRequest[]> {
  const labels = await api.listLabels(pr.number);
  if (!OVERRIDE_LABELS.some((o) => labels.includes(o.label))) return [];
  return evaluateOverrides({ labels, events: await collect(api.listLabelEvents(pr.number)), pr, rule, reviews });
}

/** The plan options and the audit grants of the requests that count. */
export function grantedOverrides(requests: OverrideRequest[], pr: number): { options: Partial<PlanOptions>; grants: OverrideGrants } {
  const options: Partial<PlanOptions> = {};
  const grants: OverrideGrants = {};
  for (const r of requests.filter((q) => q.granted)) {
    options[r.option] = true;
    grants[r.flag] = { from: 'pull-request', pr, label: r.label, labeledBy: r.labeledBy!, approvers: r.approvedBy };
  }
  return { options, grants };
}
