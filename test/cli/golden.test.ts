import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.ts';
import { gitRepo } from '../helpers/git.ts';
import { yaml } from '../helpers/tree.ts';

/*
 * The command line's output, byte for byte, for the example declaration: the
 * contract admins script against and the check that a refactoring changed no
 * output. The files under golden/ are the expected bytes; a change to them is
 * a change to the CLI contract and is reviewed as one. Only what differs from
 * run to run is masked: the clock of recorded events, the hashes that cover
 * it, and the apply's elapsed seconds.
 */
const EXAMPLE = fileURLToPath(new URL('../../users', import.meta.url));
const NOW = ['--now', '2026-12-01'];
const ACTOR = { ROSTER_ACTOR: 'golden' };
const golden = (name: string) => `./golden/${name}`;

function masked(text: string): string {
  return text
    .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<hash>')
    .replace(/ in \d+(\.\d+)?s\b/g, ' in <seconds>s');
}

function transcript(run: CliRun): string {
  return `exit ${run.code}\n--- stdout\n${masked(run.stdout)}--- stderr\n${masked(run.stderr)}`;
}

/** A repository holding the example, committed at a fixed instant so its commit id is the same every run. */
function exampleRepository(): string {
  const repo = gitRepo();
  cpSync(EXAMPLE, join(repo.dir, 'users'), { recursive: true });
  repo.commit({ name: 'Golden Author', email: 'author@acme.test' }, '2026-11-30T12:00:00Z', 'Declare the example');
  return repo.dir;
}

describe('the CLI output of the example, byte for byte', () => {
  it('validate, plan (text, markdown, json), apply, plan again, audit list, users', async () => {
    const dir = exampleRepository();
    const runs: [string, string[]][] = [
      ['validate.txt', ['validate', ...NOW]],
      ['plan.txt', ['plan', ...NOW]],
      ['plan.md.txt', ['plan', '--format', 'markdown', ...NOW]],
      ['plan.json.txt', ['plan', '--format', 'json', ...NOW]],
      ['apply.txt', ['apply', '--yes', ...NOW]],
      ['plan-after-apply.txt', ['plan', ...NOW]],
      ['audit-list.txt', ['audit', 'list']],
      ['users.txt', ['users', ...NOW]],
    ];
    for (const [name, args] of runs) await expect(transcript(await runCli(args, dir, ACTOR))).toMatchFileSnapshot(golden(name));
  });

  it('validate of a declaration with several problems: every one, located', async () => {
    const repo = gitRepo({
      'users/people.yaml': yaml`
        settings:
          organization: acme
        organizations:
          - name: acme
        roles:
          - name: member
        users:
          - email: ann@acme.test
            role: member
          - email: ann@acme.test
            role: member
          - email: bob@acme.test
            role: wizard
          - email: "car\u200bl@acme.test"
            role: member
            workspaces: { nowhere: member }
      `,
    });
    const run = await runCli(['validate', ...NOW], repo.dir, ACTOR);
    await expect(transcript(run)).toMatchFileSnapshot(golden('validate-errors.txt'));
    const plan = await runCli(['plan', ...NOW], repo.dir, ACTOR);
    await expect(transcript(plan)).toMatchFileSnapshot(golden('plan-errors.txt'));
  });
});
