import type { TimelineEntry } from '../model/timeline.ts';
import { showInvisible as t } from '../util/strings.ts';
import { renderEventText } from './audit.ts';

export interface HistoryReport {
  email: string;
  /** The declaration folder in the repository, e.g. `users`. */
  declaration: string;
  trail: { source: string; events: number; intact: boolean; problem?: string };
  entries: TimelineEntry[];
}

/** Commits and events of one person; names, subjects, paths and diff lines come from git and go through showInvisible. */
export function renderHistoryText(r: HistoryReport): string {
  const commits = r.entries.filter((e) => e.type === 'commit').length;
  const events = r.entries.length - commits;
  const integrity = r.trail.intact ? 'hash chain intact' : `TAMPERED: ${t(String(r.trail.problem))}`;
  const out = [
    `History of ${t(r.email)}: ${commits} commit(s) in ${t(r.declaration)}/, ${events} audit event(s) from ${t(r.trail.source)} (${r.trail.events} in all, ${integrity}).`,
  ];
  if (r.entries.length === 0) out.push('', 'Nothing found: the person was never declared, and no applied step concerns them.');
  for (const e of r.entries) {
    out.push('');
    if (e.type === 'event') {
      out.push(...renderEventText(e.event));
      continue;
    }
    out.push(t(`${e.at} commit ${e.commit.slice(0, 7)} by ${e.author} <${e.authorEmail}>${e.pr ? `, PR #${e.pr}` : ''}`), `    ${t(e.subject)}`);
    for (const c of e.changes) {
      const where =
        c.action === 'moved' ? `moved from ${c.from} to ${c.file}:${c.line}` : `${c.action} at ${c.file}:${c.line}${c.from ? ` (moved from ${c.from})` : ''}`;
      out.push(`    ${t(`${c.what} ${where}`)}`, ...c.diff.map((l) => `      ${t(l)}`));
    }
  }
  return out.join('\n') + '\n';
}

export function renderHistoryJson(r: HistoryReport): string {
  return JSON.stringify({ formatVersion: 1, ...r }, null, 2) + '\n';
}
