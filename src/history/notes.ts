import { ANCHOR_REF, parseAnchors, type Anchor } from '../audit/anchors.ts';
import { GitRepository } from '../git/repository.ts';

/** Every anchor in the repository's refs/notes/roster; null when `dir` is not in a git repository. */
export function readAnchors(dir: string): Anchor[] | null {
  const repo = GitRepository.find(dir);
  if (!repo) return null;
  const pairs = repo.notes(ANCHOR_REF);
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
  repo.appendNote(ANCHOR_REF, commit, line + '\n');
}
