import { checkApprovals, commentPlan, syncDrift } from '../../engine/github.ts';
import { ExitCode } from '../../errors.ts';
import type { Io } from '../io.ts';
import { parseNow } from '../now.ts';
import type { GlobalOptions } from '../options.ts';
import { printingObserver, runContext } from '../run-context.ts';

interface GitHubOptions extends GlobalOptions {
  plan: string;
  artifactUrl?: string;
}

const savedPlanInput = (opts: GitHubOptions) => ({
  plan: opts.plan,
  ...(opts.artifactUrl && { artifactUrl: opts.artifactUrl }),
  now: () => parseNow(opts.now),
});

export async function githubComment(opts: GitHubOptions, io: Io): Promise<number> {
  const { pr, result } = await commentPlan(runContext(opts, io), savedPlanInput(opts), printingObserver(io));
  io.out(result.action === 'skipped' ? `No plan comment on #${pr}: the plan has no changes.\n` : `Plan comment ${result.action} on #${pr}: ${result.url}\n`);
  return ExitCode.ok;
}

export async function githubApprovals(opts: GitHubOptions, io: Io): Promise<number> {
  const { pr, status } = await checkApprovals(runContext(opts, io), savedPlanInput(opts), printingObserver(io));
  if (status.needs.length === 0) io.out(`Two-person rule: no privileged change in pull request #${pr}.\n`);
  else if (!status.rule) io.out(`Two-person rule: ${status.needs.length} privileged change(s), but settings.approvals sets no rule.\n`);
  else io.out(`Two-person rule: ${status.needs.length} privileged change(s) approved by ${status.approvedBy.join(', ')}.\n`);
  return ExitCode.ok;
}

export async function githubDrift(opts: GitHubOptions, io: Io): Promise<number> {
  const result = await syncDrift(runContext(opts, io), savedPlanInput(opts), printingObserver(io));
  io.out(result.action === 'none' ? 'No drift.\n' : `Drift issue #${result.issue.number} ${result.action}: ${result.issue.url}\n`);
  return ExitCode.ok;
}
