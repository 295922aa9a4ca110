import { queryEvents } from '../audit/query.ts';
import { normalizeEmail } from '../util/strings.ts';
import { UsageError } from '../errors.ts';
import { GitRepository } from '../git/repository.ts';
import { commitsFor, joinTimeline } from '../history/timeline.ts';
import type { HistoryReport } from '../render/history.ts';
import { readAuditSource } from './audit-source.ts';
import { declarationDir, type RunContext } from './context.ts';

/**
 * `roster history`: one person's timeline, the commits that changed their
 * entry or grants joined with the applied audit events. A timeline read from
 * a trail that does not verify is still returned, with `trail.intact` false.
 */
export async function runHistory(ctx: RunContext, email: string, input: { since?: Date; store?: boolean }): Promise<HistoryReport> {
  const person = normalizeEmail(email);
  const dir = declarationDir(ctx);
  const repo = GitRepository.find(dir);
  if (!repo) throw new UsageError(`${ctx.dir} is not in a git repository: roster history reads the declaration's git log`);
  const path = repo.pathOf(dir);
  const trail = await readAuditSource(ctx, input.store);
  const entries = joinTimeline(commitsFor(repo, path, person), queryEvents(trail.events, { user: person }), input.since);
  return {
    email: person,
    declaration: path,
    trail: { source: trail.source, events: trail.events.length, intact: trail.intact, ...(trail.problem && { problem: trail.problem }) },
    entries,
  };
}
