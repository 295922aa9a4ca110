import type { Plan } from '../model/plan.ts';
import { markdownCode, markdownText } from '../render/markdown.ts';
import { renderPlanMarkdown } from '../render/plan.ts';
import type { GitHubApi } from './api.ts';
import type { ApprovalStatus } from '../model/approvals.ts';
import type { OverrideRequest } from './overrides.ts';

/** GitHub refuses comment and issue bodies longer than this. */
export const COMMENT_LIMIT = 65_535;
/** GitHub refuses a step's job summary over 1 MiB. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** The hidden first line by which roster finds its own comment again (one per declaration folder). */
export function planMarker(dir: string): string {
  return `<!-- roster:plan ${dir} -->`;
}

export interface PlanReport {
  /** Null when there is no plan: the declaration is invalid or the plan failed. */
  plan: Plan | null;
  approvals?: { status: ApprovalStatus; pr: { number: number; author: string } };
  commit?: string;
  runUrl?: string;
  /** Where the full plan is kept (the workflow artifact). */
  artifactUrl?: string;
  /** The overrides the pull request asks for by label (plan --github saved them). */
  overrides?: OverrideRequest[];
  /** A paragraph before the plan (the drift issue says what drift is). */
  intro?: string;
}

const MAX_APPROVAL_ROWS = 50;
const code = (s: string) => markdownCode(s, false);

function approvalsSection(a: PlanReport['approvals']): string[] {
  if (!a || a.status.needs.length === 0) return [];
  const { status, pr } = a;
  const out = ['', '#### Two-person rule (settings.approvals)', ''];
  if (!status.rule) return [...out, `${status.needs.length} privileged change(s); settings.approvals sets no rule, so no approval is required.`];
  const who = status.rule.approvers.map(code).join(', ');
  out.push(
    status.satisfied
      ? `**Approved** by ${status.approvedBy.map(code).join(', ')}.`
      : `**Waiting for approval:** ${status.needs.length} privileged change(s) need ${status.rule.minApprovals} approving review(s) on the latest commit from ${who}, other than the author ${code(pr.author)}. \`roster apply\` refuses them until then.`,
    '',
    '| needs approval | key | why | source |',
    '|---|---|---|---|',
  );
  for (const n of status.needs.slice(0, MAX_APPROVAL_ROWS))
    out.push(`| \`${n.kind}\` | ${markdownCode(n.key, true)} | ${markdownText(n.why)} | ${markdownText(n.source)} |`);
  if (status.needs.length > MAX_APPROVAL_ROWS) out.push(`| … | ${status.needs.length - MAX_APPROVAL_ROWS} more | | |`);
  if (status.notCounted.length) out.push('', `Not counted: ${status.notCounted.map((n) => `${code(n.reviewer)} (${markdownText(n.reason)})`).join(', ')}.`);
  return out;
}

/** Which overrides the pull request asks for, whether each would take effect, and whether a guard of this plan needs it. */
function overridesSection(plan: Plan | null, requests: OverrideRequest[] | undefined): string[] {
  if (!requests?.length) return [];
  const out = ['', '#### Overrides asked for by label', '', '| label | flag | takes effect | needed by | why |', '|---|---|---|---|---|'];
  for (const r of requests) {
    const guards = (plan?.blocks ?? []).filter((b) => b.flag === r.flag).map((b) => code(b.guard));
    out.push(
      `| ${code(r.label)} | ${code(r.flag)} | ${r.granted ? 'yes' : '**no**'} | ${guards.join(', ') || 'no guard of this plan'} | ${r.why.replace(/\|/g, '\\|')} |`,
    );
  }
  return out;
}

function footer(r: PlanReport): string {
  const parts = [
    r.commit ? `Plan for ${r.commit.slice(0, 7)}` : 'Plan',
    r.runUrl ? `[workflow run](${r.runUrl})` : '',
    r.artifactUrl ? `[full plan](${r.artifactUrl})` : '',
  ].filter(Boolean);
  return `<sub>${parts.join(' · ')}</sub>`;
}

function whereTheRestIs(r: PlanReport): string {
  if (r.artifactUrl) return `The full plan is in the [plan artifact](${r.artifactUrl}) and the job summary.`;
  return r.runUrl ? `The full plan is in the job summary of the [workflow run](${r.runUrl}).` : 'The full plan is in the job summary.';
}

/**
 * The comment (or job summary) for a plan, fitted under a size limit:
 * the whole plan when it fits, else without the field diffs, else with as
 * many table rows as fit and a line saying how many more there are and
 * where the full plan is. Never cut silently.
 */
export function planBody(marker: string, r: PlanReport, fits: (text: string) => boolean): string {
  const compose = (planText: string) =>
    [
      marker,
      ...(r.intro ? [r.intro, ''] : []),
      planText.trimEnd(),
      ...approvalsSection(r.approvals),
      ...overridesSection(r.plan, r.overrides),
      '',
      footer(r),
    ].join('\n') + '\n';
  if (!r.plan) {
    const why = `roster could not make a plan${r.commit ? ` for ${r.commit.slice(0, 7)}` : ''}: the declaration is invalid or the live system could not be read. See the annotations and the log of the ${r.runUrl ? `[workflow run](${r.runUrl})` : 'workflow run'}.`;
    return compose(`### roster plan\n\n**No plan.** ${why}`);
  }
  const plan = r.plan;
  const full = compose(renderPlanMarkdown(plan));
  if (fits(full)) return full;
  const omitted = () => whereTheRestIs(r);
  const rows = (maxSteps: number) => compose(renderPlanMarkdown(plan, { details: false, maxSteps, omitted }));
  const withoutDetails = compose(renderPlanMarkdown(plan, { details: false }) + `\n_The field-by-field details are left out to fit. ${omitted()}_`);
  if (fits(withoutDetails)) return withoutDetails;
  let lo = 0;
  let hi = plan.steps.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(rows(mid))) lo = mid;
    else hi = mid - 1;
  }
  if (fits(rows(lo))) return rows(lo);
  // Not even the summary fits with the rest (e.g. thousands of warnings): the bare minimum.
  const { add, change, remove } = plan.summary;
  return (
    [
      marker,
      ...(r.intro ? [r.intro, ''] : []),
      '### roster plan',
      '',
      `**Plan: ${add} to add, ${change} to change, ${remove} to remove.** The plan is too long to show here. ${omitted()}`,
      '',
      footer(r),
    ].join('\n') + '\n'
  );
}

export const fitsComment = (text: string) => text.length <= COMMENT_LIMIT;
export const fitsSummary = (text: string) => Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES;

export type UpsertResult = { action: 'created' | 'updated' | 'unchanged'; url: string } | { action: 'skipped' };

/**
 * One sticky comment per pull request: found again by its marker and
 * updated in place. `create: false` updates an existing comment but opens
 * none (a plan without changes does not start a conversation).
 */
export async function upsertComment(api: GitHubApi, issue: number, marker: string, body: string, options: { create: boolean }): Promise<UpsertResult> {
  for await (const c of api.listIssueComments(issue)) {
    if (!c.body.startsWith(marker)) continue;
    if (c.body === body) return { action: 'unchanged', url: c.url };
    return { action: 'updated', url: (await api.updateIssueComment(c.id, body)).url };
  }
  if (!options.create) return { action: 'skipped' };
  return { action: 'created', url: (await api.createIssueComment(issue, body)).url };
}
