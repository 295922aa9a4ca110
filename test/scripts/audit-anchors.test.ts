import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAnchors } from '../../src/history/notes.ts';
import { gitRepo } from '../helpers/git.ts';
import { tempTree } from '../helpers/tree.ts';

/**
 * scripts/audit-anchors.sh fetch, against a real bare repository as origin:
 * only "origin has no refs/notes/roster" is a first apply; every other
 * failure stops the job.
 */
const SCRIPT = resolve('scripts/audit-anchors.sh');
const who = { name: 'Alice', email: 'alice@acme.test' };
const REF = 'refs/notes/roster';

function clone(origin: string) {
  const repo = gitRepo();
  repo.commit(who, '2026-11-20T09:00:00Z', 'Declare the team', { 'users/a.yaml': 'users: []\n' });
  repo.git(['remote', 'add', 'origin', origin]);
  const fetch = () =>
    spawnSync('bash', [SCRIPT, 'fetch'], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: repo.dir, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
    });
  return { repo, fetch };
}

function bareOrigin(): string {
  const dir = join(tempTree(), 'origin.git');
  spawnSync('git', ['init', '-q', '--bare', dir]);
  return dir;
}

const REFUSAL = 'refusing to go on: the store could not be checked against the heads published so far\n';

describe('scripts/audit-anchors.sh fetch', () => {
  it('an origin without the notes ref is a first apply: exit 0, and it says so', () => {
    const { fetch } = clone(bareOrigin());
    const r = fetch();
    expect(r.stdout).toBe(`no ${REF} on origin yet: this is the first apply to publish its head\n`);
    expect(r.status).toBe(0);
  });

  it('fetches the notes an origin holds', () => {
    const origin = bareOrigin();
    const first = clone(origin);
    first.repo.git(['push', '-q', 'origin', 'main']);
    first.repo.git(['notes', `--ref=${REF}`, 'add', '-m', 'roster-audit-head {"store":"s","seq":3,"hash":"sha256:ab","at":"2026-11-20T09:00:00Z"}', 'HEAD']);
    first.repo.git(['push', '-q', 'origin', REF]);
    const second = clone(origin);
    second.repo.git(['fetch', '-q', 'origin', 'main']);
    const r = second.fetch();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readAnchors(second.repo.dir)).toEqual([expect.objectContaining({ store: 's', seq: 3 })]);
  });

  it('an origin it cannot reach fails the job with the reason, not a silent first apply', () => {
    const { fetch } = clone(join(tempTree(), 'no-such-origin.git'));
    const r = fetch();
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: cannot read ${REF} from origin \\(git ls-remote exit 128\\): [\\s\\S]+\\n${REFUSAL}$`));
    expect(r.status).toBe(1);
  });

  it('an origin whose notes ref points at an object it does not have fails the job', () => {
    const origin = bareOrigin();
    mkdirSync(join(origin, 'refs/notes'), { recursive: true });
    writeFileSync(join(origin, REF), `${'1'.repeat(40)}\n`);
    const { fetch } = clone(origin);
    const r = fetch();
    expect(r.stderr).toMatch(new RegExp(`^error: origin has ${REF} but fetching it failed: [\\s\\S]+\\n${REFUSAL}$`));
    expect(r.status).toBe(1);
  });
});

describe('readAnchors', () => {
  it('is [] with no notes ref, and refuses a notes ref it cannot read rather than report no anchors', () => {
    const repo = gitRepo();
    const commit = repo.commit(who, '2026-11-20T09:00:00Z', 'Declare the team', { 'users/a.yaml': 'users: []\n' });
    expect(readAnchors(repo.dir)).toEqual([]);
    repo.git(['notes', `--ref=${REF}`, 'add', '-m', 'roster-audit-head {"store":"s","seq":1,"hash":"sha256:ab","at":"2026-11-20T09:00:00Z"}', commit]);
    expect(readAnchors(repo.dir)).toHaveLength(1);
    writeFileSync(join(repo.dir, '.git', REF), `${'2'.repeat(40)}\n`);
    expect(() => readAnchors(repo.dir)).toThrow(
      /^cannot read the published audit heads in refs\/notes\/roster: .+\. Fetch it again \(scripts\/audit-anchors\.sh fetch\) or repair the repository; nothing was checked against it$/,
    );
  });
});
