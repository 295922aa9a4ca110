import { diffLines } from 'diff';
import { stringify } from 'yaml';
import type { AuditEvent } from '../model/audit.ts';
import { canonicalJson } from '../util/canonical.ts';
import { DeclarationAtCommits, userView, type Entry, type UserView } from './fragments.ts';
import type { GitRepository } from '../git/repository.ts';
import type { Change, CommitEntry, EventEntry, TimelineEntry } from '../model/timeline.ts';

const SQUASHED = /\(#(\d+)\)\s*$/;
const MERGED = /^Merge pull request #(\d+)\b/;

/** Every commit that changed the person's entry or their grants, oldest first. */
export function commitsFor(repo: GitRepository, path: string, email: string): CommitEntry[] {
  const history = new DeclarationAtCommits(repo, path);
  const prOfBranchCommit = branchPullRequests(repo);
  const views = new Map<string | null, UserView>();
  const viewAt = (sha: string | null) => {
    if (!views.has(sha)) views.set(sha, userView(history.snapshot(sha), email));
    return views.get(sha)!;
  };
  const out: CommitEntry[] = [];
  for (const c of repo.log(path)) {
    const changes = compare(viewAt(c.parents[0] ?? null), viewAt(c.sha));
    if (changes.length === 0) continue;
    const pr = Number(SQUASHED.exec(c.subject)?.[1] ?? prOfBranchCommit.get(c.sha) ?? NaN);
    out.push({
      type: 'commit',
      at: c.date,
      commit: c.sha,
      author: c.author,
      authorEmail: c.authorEmail,
      subject: c.subject,
      pr: Number.isInteger(pr) ? pr : null,
      changes,
    });
  }
  return out;
}

/** Commits brought in by "Merge pull request #N" merges, mapped to N. */
function branchPullRequests(repo: GitRepository): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of repo.merges()) {
    const n = MERGED.exec(m.subject)?.[1];
    if (!n || m.parents.length < 2) continue;
    for (const sha of repo.revList(m.parents[0]!, m.parents[1]!)) if (!out.has(sha)) out.set(sha, Number(n));
  }
  return out;
}

function compare(before: UserView, after: UserView): Change[] {
  const changes: Change[] = [];
  const one = (what: string, was: Entry | null, now: Entry | null) => {
    const change = changeOf(what, was, now);
    if (change) changes.push(change);
  };
  one('user', before.user, after.user);
  const ids = [...new Set([...before.credits.map((c) => c.id), ...after.credits.map((c) => c.id)])];
  for (const id of ids) one(`credit ${id}`, before.credits.find((c) => c.id === id) ?? null, after.credits.find((c) => c.id === id) ?? null);
  return changes;
}

function changeOf(what: string, was: Entry | null, now: Entry | null): Change | null {
  if (!was && !now) return null;
  const same = was && now && canonicalJson(was.value) === canonicalJson(now.value);
  if (same && was.at.file === now.at.file) return null;
  const where = (now ?? was)!.at;
  const action = !was ? 'added' : !now ? 'removed' : same ? 'moved' : 'changed';
  return {
    what,
    action,
    file: where.file,
    line: where.line,
    ...(was && now && was.at.file !== now.at.file && { from: was.at.file }),
    diff: same ? [] : yamlDiff(was?.value, now?.value),
  };
}

function yamlDiff(before: unknown, after: unknown): string[] {
  const text = (v: unknown) => (v === undefined ? '' : stringify(v, { lineWidth: 0 }));
  return diffLines(text(before), text(after)).flatMap((part) => {
    const prefix = part.added ? '+ ' : part.removed ? '- ' : '  ';
    return part.value
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => prefix + l);
  });
}

/** Commits and audit events in one timeline, by time (a commit before the events it caused when they tie). */
export function joinTimeline(commits: CommitEntry[], events: AuditEvent[], since?: Date): TimelineEntry[] {
  const entries: TimelineEntry[] = [...commits, ...events.map((event): EventEntry => ({ type: 'event', at: event.at, event }))];
  // A commit's pull request is known from the audit events it caused, when its subject does not say.
  for (const c of commits) c.pr ??= events.find((e) => e.commit === c.commit && !e.dirty && e.actor.pr)?.actor.pr ?? null;
  const time = (e: TimelineEntry) => Date.parse(e.at);
  return entries
    .filter((e) => !since || time(e) >= since.getTime())
    .sort((a, b) => time(a) - time(b) || (a.type === b.type ? 0 : a.type === 'commit' ? -1 : 1));
}
