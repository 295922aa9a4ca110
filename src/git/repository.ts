import { execFileSync } from 'node:child_process';
import { relative, sep } from 'node:path';
import { UsageError } from '../errors.ts';

export interface Commit {
  sha: string;
  parents: string[];
  author: string;
  authorEmail: string;
  /** ISO 8601, as git records it. */
  date: string;
  subject: string;
}

export interface TreeFile {
  path: string;
  blob: string;
}

const MAX_BUFFER = 512 * 1024 * 1024;

/**
 * The one place roster runs git (history, notes, the actor and commit of an
 * apply, the pull-request code): `git args` in `cwd`, its output as text, or
 * as bytes for `cat-file --batch`. stderr is kept for the error message.
 */
function runGit(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(input !== undefined && { input }),
  });
}

/** `git args` in `dir`, trimmed; null when git fails, prints nothing, or `dir` is not in a repository. */
export function gitOutput(dir: string, args: string[]): string | null {
  try {
    return runGit(dir, args).trim() || null;
  } catch {
    return null;
  }
}

/** The commit checked out in `dir` (HEAD), if it is in a git repository. */
export const headCommit = (dir: string): string | null => gitOutput(dir, ['rev-parse', 'HEAD']);

/** The git user's name configured for `dir`. */
export const configuredUserName = (dir: string): string | null => gitOutput(dir, ['config', 'user.name']);

/**
 * Whether `dir` has changes git has not committed: modified, staged, deleted
 * or untracked files (a new fragment counts). False outside a repository.
 */
export const hasUncommittedChanges = (dir: string): boolean => gitOutput(dir, ['status', '--porcelain', '--untracked-files=all', '--', '.']) !== null;

/** `Name <email>` of the last commit's author in `dir`. */
export const lastCommitAuthor = (dir: string): string | null => gitOutput(dir, ['log', '-1', '--format=%an <%ae>']);

/** Access to the git repository holding the declaration, through the git command: read-only but for roster's notes. */
export class GitRepository {
  private constructor(readonly top: string) {}

  /** The repository containing `dir`, or null when it is not in one. */
  static find(dir: string): GitRepository | null {
    const top = gitOutput(dir, ['rev-parse', '--show-toplevel']);
    return top ? new GitRepository(top) : null;
  }

  /**
   * `blob commit` pairs of the notes under `ref`; empty when there are none
   * yet (`git notes list` succeeds with nothing when the ref does not exist).
   * Any failure is thrown: a ref that cannot be read is not an empty one.
   */
  notes(ref: string): [blob: string, commit: string][] {
    return runGit(this.top, ['notes', `--ref=${ref}`, 'list'])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]);
  }

  /**
   * Appends `text` to the note on `commit` under `ref`. A repository with no
   * git identity configured (a CI checkout) writes the note as "roster".
   */
  appendNote(ref: string, commit: string, text: string): void {
    const identity = gitOutput(this.top, ['config', 'user.email']) !== null ? [] : ['-c', 'user.name=roster', '-c', 'user.email=roster@localhost'];
    runGit(this.top, [...identity, 'notes', `--ref=${ref}`, 'append', '-F', '-', commit], text);
  }

  /** `dir` as a path inside the repository, with forward slashes (`users`, `config/users`). */
  pathOf(dir: string): string {
    return relative(this.top, dir).split(sep).join('/') || '.';
  }

  /** Non-merge commits that touched `path`, oldest first. Merges are left out: their changes are their parents' commits. */
  log(path: string, rev = 'HEAD'): Commit[] {
    const out = this.git(['log', '--reverse', '--full-history', '--no-merges', '-z', '--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%s', rev, '--', path]);
    return out
      .split('\0')
      .filter(Boolean)
      .map((record) => {
        const [sha, parents, author, authorEmail, date, subject] = record.replace(/^\n/, '').split('\x1f') as [string, string, string, string, string, string];
        return { sha, parents: parents ? parents.split(' ') : [], author, authorEmail, date, subject };
      });
  }

  /** Merge commits reachable from `rev`: `{sha, parents, subject}`, for mapping branch commits to their pull request. */
  merges(rev = 'HEAD'): { sha: string; parents: string[]; subject: string }[] {
    return this.git(['log', '--merges', '-z', '--format=%H%x1f%P%x1f%s', rev])
      .split('\0')
      .filter(Boolean)
      .map((record) => {
        const [sha, parents, subject] = record.replace(/^\n/, '').split('\x1f') as [string, string, string];
        return { sha, parents: parents.split(' '), subject };
      });
  }

  /** Commits in `to` that are not in `from`. */
  revList(from: string, to: string): string[] {
    return this.git(['rev-list', `${from}..${to}`])
      .split('\n')
      .filter(Boolean);
  }

  /** Files under `path` at `commit`, with their blob ids. */
  tree(commit: string, path: string): TreeFile[] {
    return this.git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', path])
      .split('\0')
      .filter(Boolean)
      .flatMap((line) => {
        const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(line);
        return m ? [{ blob: m[1]!, path: m[2]! }] : [];
      });
  }

  /** Blob contents by id, read in one `git cat-file --batch`. */
  blobs(ids: string[]): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    if (ids.length === 0) return out;
    // Bytes, not text: a blob's size counts bytes.
    const raw = execFileSync('git', ['cat-file', '--batch'], { cwd: this.top, input: ids.join('\n') + '\n', maxBuffer: MAX_BUFFER });
    let pos = 0;
    while (pos < raw.length) {
      const eol = raw.indexOf(0x0a, pos);
      const [id, type, size] = raw.subarray(pos, eol).toString('utf8').split(' ');
      pos = eol + 1;
      if (type === 'missing' || size === undefined) continue;
      const length = Number(size);
      out.set(id!, raw.subarray(pos, pos + length));
      pos += length + 1;
    }
    return out;
  }

  /** The full id of a revision, or null when the repository does not have it (e.g. a shallow clone). */
  resolve(rev: string): string | null {
    try {
      return this.git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).trim() || null;
    } catch {
      return null;
    }
  }

  private git(args: string[]): string {
    try {
      return runGit(this.top, args);
    } catch (e) {
      const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
      throw new UsageError(`git ${args[0]} failed in ${this.top}: ${stderr || (e as Error).message}`);
    }
  }
}
