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

/** Read-only access to the git repository holding the declaration, through the git command. */
export class GitRepository {
  private constructor(readonly top: string) {}

  /** The repository containing `dir`, or null when it is not in one. */
  static find(dir: string): GitRepository | null {
    try {
      const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      return top ? new GitRepository(top) : null;
    } catch {
      return null;
    }
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
    return this.git(['rev-list', `${from}..${to}`]).split('\n').filter(Boolean);
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
      return execFileSync('git', args, { cwd: this.top, encoding: 'utf8', maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
      throw new UsageError(`git ${args[0]} failed in ${this.top}: ${stderr || (e as Error).message}`);
    }
  }
}
