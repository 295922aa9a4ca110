import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempTree, writeTree } from './tree.ts';

export interface Person {
  name: string;
  email: string;
}

/** A real git repository in a temp dir, committed to as different people at given times. */
export function gitRepo(files: Record<string, string> = {}) {
  const dir = tempTree(files);
  const git = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', ...env } }).trim();
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.name', 'Local User']);
  git(['config', 'user.email', 'local@acme.test']);
  return {
    dir,
    git,
    /** Writes (or, with null, deletes) files and commits them as `who` at `date`; returns the commit id. */
    commit(who: Person, date: string, message: string, changes: Record<string, string | null> = {}, renames: [string, string][] = []): string {
      for (const [from, to] of renames) renameSync(join(dir, from), join(dir, to));
      for (const [path, content] of Object.entries(changes)) if (content === null) rmSync(join(dir, path));
      writeTree(dir, Object.fromEntries(Object.entries(changes).filter((e): e is [string, string] => e[1] !== null)));
      git(['add', '-A']);
      git(['commit', '-q', '--allow-empty', '-m', message], {
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
        GIT_COMMITTER_DATE: date,
      });
      return git(['rev-parse', 'HEAD']);
    },
  };
}
