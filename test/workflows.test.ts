import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { program } from '../src/cli/main.ts';
import { processIo } from '../src/cli/io.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS = `${ROOT}.github/workflows`;
const ACTIONS = new Set(['actions/checkout@v4', 'actions/setup-node@v4', 'actions/upload-artifact@v4']);
const scripts = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts as Record<string, string>;

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { if?: string; steps: Step[] }>;
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
  let cmd: Command = program(processIo(), () => {}, () => {});
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
    j.steps.flatMap((step) => (step.run ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => ({ job, step, words: words(l) }))),
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
        } else problems.push(`${where}: runs "${w.join(' ')}", which is not a roster command, npm script or project file`);
      }
      for (const [job, j] of Object.entries(wf.jobs)) {
        const ids = new Set(j.steps.map((s) => s.id).filter(Boolean));
        for (const s of j.steps) {
          if (s.uses && !ACTIONS.has(s.uses)) problems.push(`${f} ${job}: unexpected action ${s.uses}`);
          for (const m of JSON.stringify(s).matchAll(/steps\.([\w-]+)\.outputs/g)) if (!ids.has(m[1])) problems.push(`${f} ${job}: refers to a step "${m[1]}" that does not exist`);
          for (const m of JSON.stringify(s).matchAll(/secrets\.(\w+)/g)) if (!readFileSync(`${ROOT}README.md`, 'utf8').includes(m[1]!)) problems.push(`${f} ${job}: secret ${m[1]} is not documented in the README`);
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

  it('plan.yml: pull requests touching users/ or schema/, comments and checks the two-person rule, forks only validated', () => {
    const wf = load('plan.yml');
    expect(wf.on.pull_request).toEqual({ types: ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'], paths: ['users/**', 'schema/**'] });
    expect(wf.permissions).toEqual({ contents: 'read', issues: 'read', 'pull-requests': 'write' });
    expect(wf.jobs.plan!.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    const run = commandsOf(wf).map((c) => c.words.slice(0, 4).join(' '));
    expect(run).toEqual(expect.arrayContaining(['npx roster validate --format', 'npx roster github comment', 'npx roster github approvals']));
    // The plan takes the overrides of approved labels, so it reads the pull request with the job's token.
    const planStep = commandsOf(wf).find((c) => c.words.slice(0, 3).join(' ') === 'npx roster plan')!;
    expect(planStep.words).toEqual(['npx', 'roster', 'plan', '--github', '--format', 'markdown', '--out', 'plan.json']);
    expect(planStep.step.env?.GITHUB_TOKEN).toBe('${{ github.token }}');
  });

  it('apply.yml: push to main, one run at a time, never cancelled, never on forks, saved plan applied with --github', () => {
    const wf = load('apply.yml');
    expect(wf.on.push).toEqual({ branches: ['main'], paths: ['users/**', 'schema/**'] });
    expect(wf.concurrency).toEqual({ group: 'roster-apply', 'cancel-in-progress': false });
    expect(wf.jobs.apply!.if).toBe('${{ !github.event.repository.fork }}');
    expect(commandsOf(wf).map((c) => c.words.join(' '))).toContain('npx roster apply plan.json --github --lock-timeout 10m');
    // The plan takes the pull request's approved override labels too: a plan blocked without them would stop the job before apply.
    const planStep = commandsOf(wf).find((c) => c.words.slice(0, 3).join(' ') === 'npx roster plan')!;
    expect(planStep.words).toEqual(['npx', 'roster', 'plan', '--github', '--format', 'markdown', '--out', 'plan.json']);
    expect(planStep.step.env?.GITHUB_TOKEN).toBe('${{ github.token }}');
  });

  it('drift.yml: scheduled, opens or updates or closes the drift issue', () => {
    const wf = load('drift.yml');
    expect(Object.keys(wf.on)).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(commandsOf(wf).map((c) => c.words.slice(0, 5).join(' '))).toContain('npx roster github drift --plan');
  });
});
