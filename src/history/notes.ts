import { execFileSync } from 'node:child_process';
import { ANCHOR_REF, parseAnchors, type Anchor } from '../audit/anchors.ts';
import { TrailError } from '../errors.ts';
import { GitRepository } from './git.ts';

const run = (cwd: string, args: string[], input?: string) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], ...(input !== undefined && { input }) });

/**
 * Every anchor in the repository's refs/notes/roster ([] when there is no
 * such ref yet); null when `dir` is not in a git repository. A ref that
 * exists but cannot be read (a corrupt object) is an error, never "no
 * anchors": that would check the store against nothing.
 */
export function readAnchors(dir: string): Anchor[] | null {
  const repo = GitRepository.find(dir);
  if (!repo) return null;
  let list: string;
  try {
    // `git notes list` succeeds with nothing when the ref does not exist.
    list = run(repo.top, ['notes', `--ref=${ANCHOR_REF}`, 'list']);
  } catch (e) {
    const why = String((e as { stderr?: unknown }).stderr || (e as Error).message).trim().split('\n')[0];
    throw new TrailError(`cannot read the published audit heads in ${ANCHOR_REF}: ${why}. Fetch it again (scripts/audit-anchors.sh fetch) or repair the repository; nothing was checked against it`);
  }
  const pairs = list.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]);
  const blobs = repo.blobs(pairs.map(([blob]) => blob));
  const missing = pairs.find(([blob]) => !blobs.has(blob));
  if (missing) throw new TrailError(`cannot read the published audit heads in ${ANCHOR_REF}: the note on commit ${missing[1].slice(0, 7)} (${missing[0].slice(0, 7)}) is missing from the repository. Fetch it again (scripts/audit-anchors.sh fetch) or repair the repository; nothing was checked against it`);
  return pairs.flatMap(([blob, commit]) => parseAnchors(commit, blobs.get(blob)!.toString('utf8')));
}

/**
 * Adds an anchor line to the note on `commit` (kept beside any anchors
 * already there). A repository with no git identity configured (a CI
 * checkout) writes the note as "roster".
 */
export function appendAnchorNote(dir: string, commit: string, line: string): void {
  const repo = GitRepository.find(dir);
  if (!repo) throw new Error(`${dir} is not in a git repository`);
  let configured = true;
  try {
    run(repo.top, ['config', 'user.email']);
  } catch {
    configured = false;
  }
  const identity = configured ? [] : ['-c', 'user.name=roster', '-c', 'user.email=roster@localhost'];
  run(repo.top, [...identity, 'notes', `--ref=${ANCHOR_REF}`, 'append', '-F', '-', commit], line + '\n');
}
