import { ANCHOR_REF, parseAnchors, type Anchor } from '../audit/anchors.ts';
import { TrailError } from '../errors.ts';
import { GitRepository } from '../git/repository.ts';

const unreadable = (why: string) =>
  new TrailError(
    `cannot read the published audit heads in ${ANCHOR_REF}: ${why}. Fetch it again (scripts/audit-anchors.sh fetch) or repair the repository; nothing was checked against it`,
  );

/**
 * Every anchor in the repository's refs/notes/roster ([] when there is no
 * such ref yet); null when `dir` is not in a git repository. A ref that
 * exists but cannot be read (a corrupt object) is an error, never "no
 * anchors": that would check the store against nothing.
 */
export function readAnchors(dir: string): Anchor[] | null {
  const repo = GitRepository.find(dir);
  if (!repo) return null;
  let pairs: [string, string][];
  try {
    pairs = repo.notes(ANCHOR_REF);
  } catch (e) {
    throw unreadable(
      String((e as { stderr?: unknown }).stderr || (e as Error).message)
        .trim()
        .split('\n')[0]!,
    );
  }
  const blobs = repo.blobs(pairs.map(([blob]) => blob));
  const missing = pairs.find(([blob]) => !blobs.has(blob));
  if (missing) throw unreadable(`the note on commit ${missing[1].slice(0, 7)} (${missing[0].slice(0, 7)}) is missing from the repository`);
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
  repo.appendNote(ANCHOR_REF, commit, line + '\n');
}
