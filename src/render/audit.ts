import { stringify } from 'csv-stringify/sync';
import type { AuditEvent } from '../model/audit.ts';
import { showInvisible as t } from '../util/strings.ts';

/** Who, with the pull request, its author and its approvers when known: `ci (PR #12 "Title" by bob, approved by carol)`. */
export function describeActor(a: AuditEvent['actor']): string {
  const pr = [a.pr ? `PR #${a.pr}` : '', a.prTitle ? JSON.stringify(a.prTitle) : '', a.prAuthor ? `by ${a.prAuthor}` : ''].filter(Boolean).join(' ');
  const approvals = a.approvers?.length ? `approved by ${a.approvers.join(', ')}` : '';
  const details = [pr, approvals].filter(Boolean).join(', ');
  return details ? `${a.name} (${details})` : a.name;
}

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : 'no commit');

/**
 * An event as text. Every field but the sequence number came from a
 * declaration, a pull request, git or a store someone may have edited by
 * hand: each line goes through showInvisible (JSON leaves C1 controls and
 * bidirectional characters raw).
 */
export function renderEventText(e: AuditEvent, indent = ''): string[] {
  return [
    `#${e.seq} ${e.at} ${e.result} ${e.step} ${e.key}`,
    `    by ${describeActor(e.actor)}, commit ${short(e.commit)}${e.dirty ? ' (dirty)' : ''}${e.actor.gitAuthor ? `, git author ${e.actor.gitAuthor}` : ''}`,
    `    ${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)}`,
    `    # ${e.reason} (${e.source})${e.error ? `; error: ${e.error}` : ''}`,
  ].map((line) => indent + t(line));
}

export function renderEventsText(events: AuditEvent[]): string {
  const lines = events.flatMap((e) => [...renderEventText(e), '']);
  lines.push(`${events.length} event(s).`);
  return lines.join('\n') + '\n';
}

/** The documented machine shape. */
export function renderEventsJson(events: AuditEvent[]): string {
  return JSON.stringify({ formatVersion: 1, count: events.length, events }, null, 2) + '\n';
}

const COLUMNS = [
  'seq',
  'at',
  'step',
  'key',
  'result',
  'actor',
  'git_author',
  'pr',
  'pr_title',
  'pr_author',
  'approvers',
  'commit',
  'reason',
  'source',
  'before',
  'after',
  'error',
  'hash',
] as const;

/**
 * A spreadsheet opens text starting with = + - @ as a formula; reasons and
 * names come from pull requests, so such cells get a leading apostrophe
 * (OWASP "CSV injection"). Numbers stay numbers.
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One row per event, a header first; JSON columns hold `before` and `after`. */
export function renderEventsCsv(events: AuditEvent[]): string {
  const rows = events.map((e) => ({
    seq: e.seq,
    at: e.at,
    step: e.step,
    key: e.key,
    result: e.result,
    actor: e.actor.name,
    git_author: e.actor.gitAuthor ?? '',
    pr: e.actor.pr ?? '',
    pr_title: e.actor.prTitle ?? '',
    pr_author: e.actor.prAuthor ?? '',
    approvers: (e.actor.approvers ?? []).join(' '),
    commit: e.commit ?? '',
    reason: e.reason,
    source: e.source,
    before: JSON.stringify(e.before),
    after: JSON.stringify(e.after),
    error: e.error ?? '',
    hash: e.hash,
  }));
  return stringify(rows, { header: true, columns: [...COLUMNS], cast: { string: neutralise } });
}
