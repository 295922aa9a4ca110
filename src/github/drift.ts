import type { Plan } from '../model/plan.ts';
import type { GitHubApi, Issue } from './api.ts';
import { fitsComment, planBody, type PlanReport } from './comment.ts';

/** Drift issues carry this label, so they are listed without reading every issue. */
export const DRIFT_LABEL = 'roster-drift';

export function driftMarker(dir: string): string {
  return `<!-- roster:drift ${dir} -->`;
}

export type DriftResult = { action: 'opened' | 'updated' | 'unchanged' | 'closed'; issue: Issue } | { action: 'none' };

/** Drift is a plan with steps: the live system differs from the declaration on the default branch. */
export function hasDrift(plan: Plan): boolean {
  return plan.steps.length > 0;
}

export function driftIssueBody(dir: string, plan: Plan, r: Omit<PlanReport, 'plan' | 'intro'>): string {
  const intro = `The live system has drifted from \`${dir}/\`: applying the declaration now would make the changes below. Either someone changed the live system by hand, an apply failed, or a date passed (an \`expires\` contract). Apply again (re-run the apply workflow) to restore the declared state, or change the declaration to match what should stay. roster updates this issue while the drift remains and closes it when it is gone.`;
  return planBody(driftMarker(dir), { ...r, plan, intro }, fitsComment);
}

/** One issue per declaration folder: opened on drift, updated while it remains, closed when it is gone. */
export async function syncDriftIssue(api: GitHubApi, dir: string, plan: Plan, r: Omit<PlanReport, 'plan' | 'intro'>): Promise<DriftResult> {
  const marker = driftMarker(dir);
  let open: Issue | undefined;
  for await (const issue of api.listOpenIssues(DRIFT_LABEL)) {
    if (issue.body.startsWith(marker)) {
      open = issue;
      break;
    }
  }
  if (hasDrift(plan)) {
    const body = driftIssueBody(dir, plan, r);
    if (!open)
      return { action: 'opened', issue: await api.createIssue({ title: `roster: the live system has drifted from ${dir}/`, body, labels: [DRIFT_LABEL] }) };
    if (open.body === body) return { action: 'unchanged', issue: open };
    return { action: 'updated', issue: await api.updateIssue(open.number, { body }) };
  }
  if (!open) return { action: 'none' };
  await api.createIssueComment(
    open.number,
    `The drift is gone: the live system matches \`${dir}/\` again${r.runUrl ? ` ([scheduled plan](${r.runUrl}))` : ''}. Closing.`,
  );
  return { action: 'closed', issue: await api.updateIssue(open.number, { state: 'closed' }) };
}
