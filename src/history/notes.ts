import { execFileSync } from 'node:child_process';
import { ANCHOR_REF, parseAnchors, type Anchor } from '../audit/anchors.ts';
import { GitRepository } from './git.ts';

const run = (cwd: string, args: string[], input?: string) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], ...(input !== undefined && { input }) });

/** Every anchor in the repository's refs/notes/roster; null when `dir` is not in a git repository. */
export function readAnchors(dir: string): Anchor[] | null {
  const repo = GitRepository.find(dir);
  if (!repo) return null;
  let list: string;
  try {
    list = run(repo.top, ['notes', `--ref=${ANCHOR_REF}`, 'list']);
  } catch {
    return []; // no notes yet
  }
  const pairs = list.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]);
  const blobs = repo.blobs(pairs.map(([blob]) => blob));
  return pairs.flatMap(([blob, commit]) => parseAnchors(commit, blobs.get(blob)?.toString('utf8') ?? ''));
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
