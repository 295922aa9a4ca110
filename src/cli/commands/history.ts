import { resolve } from 'node:path';
import { normalizeEmail } from '../../util/strings.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { GitRepository } from '../../git/repository.ts';
import { commitsFor, joinTimeline } from '../../history/timeline.ts';
import { queryEvents } from '../../audit/query.ts';
import { renderHistoryJson, renderHistoryText, type HistoryReport } from '../../render/history.ts';
import type { GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';
import { dateOption, readAuditSource } from './audit-source.ts';

export async function history(email: string, opts: GlobalOptions & { since?: string; format: string; store?: boolean }, io: Io): Promise<number> {
  const person = normalizeEmail(email);
  const since = dateOption('--since', opts.since, false);
  const dir = resolve(io.cwd, opts.dir);
  const repo = GitRepository.find(dir);
  if (!repo) throw new UsageError(`${opts.dir} is not in a git repository: roster history reads the declaration's git log`);
  const path = repo.pathOf(dir);
  const trail = await readAuditSource(opts, io);
  const entries = joinTimeline(commitsFor(repo, path, person), queryEvents(trail.events, { user: person }), since);
  const report: HistoryReport = {
    email: person,
    declaration: path,
    trail: { source: trail.source, events: trail.events.length, intact: trail.intact, ...(trail.problem && { problem: trail.problem }) },
    entries,
  };
  io.out(opts.format === 'json' ? renderHistoryJson(report) : renderHistoryText(report));
  // A timeline read from a tampered trail is still shown, but the run fails.
  return trail.intact ? ExitCode.ok : ExitCode.error;
}
