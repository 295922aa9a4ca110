import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, fileFault, InvalidInputError, RosterError, StalePlanError } from '../errors.ts';
import { renderProblemsGithub, renderProblemsJson, renderProblemsText } from '../render/problems.ts';
import type { GlobalOptions } from './options.ts';
import { processIo, type Io } from './io.ts';
import { PROGRESS_MODES } from './progress.ts';
import { showInvisible, showInvisibleLines } from '../util/strings.ts';

export { guardProcess } from './io.ts';

/** package.json's version: two folders up from both src/cli and dist/cli. */
const version = () => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const formats = (...allowed: string[]) => new Option('--format <format>', `output format: ${allowed.join(' | ')}`).choices(allowed).default('text');
const progressOption = () =>
  new Option('--progress <when>', 'progress on stderr (loading, reading, applying): auto (a live line on a terminal, plain lines in CI) | always | never')
    .choices(PROGRESS_MODES)
    .default('auto');
const overrides = (cmd: Command) =>
  cmd
    .option('--allow-delete', 'allow deleting users (settings.removal: delete)')
    .option('--allow-mass-removal', 'allow removing more users than guards.maxRemovalPercent')
    .option('--allow-owner-change', 'allow removing an owner, the last owner, or admins below guards.minAdmins');

/**
 * The command table: flags and wiring only; each command lives in
 * ./commands and is loaded when used.
 */
export function program(io: Io, setFormat: (f: string) => void, setCode: (c: number) => void): Command {
  const root = new Command('roster')
    .description('Users, roles, organizations and credits as code: validate, plan, apply, audit.')
    .option('-d, --dir <dir>', 'declaration folder', 'users')
    .option('--now <iso>', 'the instant to plan for (default: the clock)')
    .option(
      '--data-dir <dir>',
      'embedded store location (env ROSTER_DATA_DIR; default .roster/live at the repository root; required in CI without ROSTER_DATABASE_URL)',
    )
    .option('--lock-timeout <duration>', 'wait this long for another run to finish (e.g. 30s)', '0s')
    .option(
      '--audit-log <file>',
      'JSON-lines audit trail (default .roster/audit.jsonl at the repository root; a second store gets .roster/audit-<store id>.jsonl)',
    )
    .option('--concurrency <n>', 'scim/github: requests in flight at once (env ROSTER_HTTP_CONCURRENCY; default 4)')
    .option('--rps <n>', 'scim/github: at most this many requests per second (env ROSTER_HTTP_RPS; default 20)')
    .option('--request-timeout <duration>', 'scim/github: give up on one request after this long (env ROSTER_HTTP_TIMEOUT; default 30s)')
    .option('--no-color', 'plain output')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showSuggestionAfterError(true)
    .version(version(), '-V, --version', 'print the version');
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      setCode(await fn(...args));
    };
  const globals = (cmd: Command) => {
    const o = cmd.optsWithGlobals() as GlobalOptions & { format?: string };
    if (o.format) setFormat(o.format);
    if (o.color === false) io.color = false;
    return o;
  };

  root
    .command('validate')
    .description('check the declaration: schema and every rule, all problems at once')
    .addOption(formats('text', 'json', 'github'))
    .action(run(async (_o: unknown, cmd: Command) => (await import('./commands/validate.ts')).validate(globals(cmd) as never, io)));
  overrides(
    root
      .command('plan')
      .description('show what apply would change')
      .addOption(formats('text', 'markdown', 'json'))
      .option('--out <file>', 'save the plan for `roster apply FILE`')
      .option('--detailed-exitcode', 'exit 2 when there are changes, 0 when none')
      .option('--github', 'in GitHub Actions: take the overrides the pull request asks for by roster:allow-* label, when approved (docs/overrides.md)')
      .addOption(progressOption()),
  ).action(run(async (_o: unknown, cmd: Command) => (await import('./commands/plan.ts')).plan(globals(cmd) as never, io)));
  overrides(
    root
      .command('apply [planFile]')
      .description('apply the plan (asks on a terminal; --yes or a saved plan otherwise)')
      .addOption(formats('text', 'markdown', 'json'))
      .option('-y, --yes', 'do not ask for confirmation')
      .option('-q, --quiet', "print the plan's summary line, not every step (the question on a terminal still shows them, on stderr)")
      .addOption(progressOption())
      .option(
        '--github',
        "in GitHub Actions: record the pushed commit's pull request, author and approvers, and enforce settings.approvals through the GitHub API",
      ),
  ).action(
    run(async (planFile: string | undefined, _o: unknown, cmd: Command) => (await import('./commands/apply.ts')).apply(planFile, globals(cmd) as never, io)),
  );
  root
    .command('migrate')
    .description('create the postgres store (schema, tables, roles) or bring it to this version; plan never does, apply does first')
    .action(run(async (_o: unknown, cmd: Command) => (await import('./commands/migrate.ts')).migrateStore(globals(cmd) as never, io)));
  const audit = root.command('audit').description('the audit trail');
  audit
    .command('verify [file]')
    .description(
      "check the JSON-lines trail's hash chain, and against the heads anchored in refs/notes/roster; with --store, also the store's audit table and that file and store hold the same events",
    )
    .option('--store', "also verify the live store's audit table and compare it with the file")
    .action(
      run(async (file: string | undefined, _o: unknown, cmd: Command) => (await import('./commands/audit.ts')).auditVerify(file, globals(cmd) as never, io)),
    );
  audit
    .command('repair')
    .description('end a trail whose last line is torn (a write stopped half-way): cut it, and record that as an audit event')
    .action(run(async (_o: unknown, cmd: Command) => (await import('./commands/audit.ts')).auditRepair(globals(cmd) as never, io)));
  audit
    .command('list')
    .description('events of the audit trail, filtered; --format csv for a spreadsheet')
    .option('--user <email>', 'events about this person (their account, memberships, assignments, grants)')
    .option('--step <kind>', 'a step kind (user.update) or family (user.*)')
    .option('--since <date>', 'from this day (YYYY-MM-DD, inclusive) or instant')
    .option('--until <date>', 'up to this day (inclusive) or instant')
    .addOption(new Option('--result <result>', 'applied | failed').choices(['applied', 'failed']))
    .addOption(formats('text', 'json', 'csv'))
    .option('--store', "read the live store's audit table instead of the JSON-lines trail")
    .action(run(async (_o: unknown, cmd: Command) => (await import('./commands/audit.ts')).auditList(globals(cmd) as never, io)));
  const github = root
    .command('github')
    .description('GitHub Actions: pull request comments, the two-person rule, drift issues (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH)');
  const planInput = (cmd: Command) => cmd.option('--plan <file>', 'the saved plan (roster plan --out FILE)', 'plan.json');
  const artifact = (cmd: Command) => cmd.option('--artifact-url <url>', 'where the workflow keeps the full plan (actions/upload-artifact output artifact-url)');
  artifact(
    planInput(
      github
        .command('comment')
        .description('post the plan as one sticky pull request comment, updated in place, and as the job summary; no plan file: says the plan failed'),
    ),
  ).action(run(async (_o: unknown, cmd: Command) => (await import('./commands/github.ts')).githubComment(globals(cmd) as never, io)));
  planInput(
    github
      .command('approvals')
      .description("check the two-person rule (settings.approvals) against the pull request's reviews; exit 7 while approval is missing"),
  ).action(run(async (_o: unknown, cmd: Command) => (await import('./commands/github.ts')).githubApprovals(globals(cmd) as never, io)));
  artifact(planInput(github.command('drift').description('open, update or close the drift issue from a scheduled plan'))).action(
    run(async (_o: unknown, cmd: Command) => (await import('./commands/github.ts')).githubDrift(globals(cmd) as never, io)),
  );
  root
    .command('history <email>')
    .description("one person's timeline: commits that changed their entry or grants, joined with the applied audit events")
    .option('--since <date>', 'from this day (YYYY-MM-DD) or instant')
    .addOption(formats('text', 'json'))
    .option('--store', "read the live store's audit table instead of the JSON-lines trail")
    .action(run(async (email: string, _o: unknown, cmd: Command) => (await import('./commands/history.ts')).history(email, globals(cmd) as never, io)));
  // roster export (issue 17): the live system as fragments.
  root
    .command('export')
    .description('write the live system as a declaration: every organization, role, workspace, project, package, user and applied grant')
    .option('--out <dir>', 'folder to write the fragments to (default: --dir); it must hold none yet')
    .addOption(new Option('--provider <name>', 'the live system (default: settings.provider of --dir, else postgres)').choices(['postgres', 'scim', 'github']))
    .option('--include-unmanaged', 'also accounts roster does not manage: the next apply adopts them')
    .option('--merge', 'fold live changes into the fragments of --dir instead, editing only the values that differ (comments and layout kept)')
    .option('--into <file>', 'with --merge: the fragment new entities go to (default: where their neighbours are)')
    .addOption(formats('text', 'json'))
    .action(run(async (_o: unknown, cmd: Command) => (await import('./commands/export.ts')).exportCommand(globals(cmd) as never, io)));
  // Adoption (issue 17): a read-only view of who has what.
  root
    .command('users')
    .description('who has what: live status, role, organization, workspaces and balances, joined with where each person is declared (read-only)')
    .option('--role <role>', 'only this role')
    .option('--status <status>', 'active | invited | inactive | suspended | not-created')
    .option('--organization <name>', 'only this organization')
    .option('--workspace <name>', 'only members of this workspace')
    .option('--department <name>', 'only this department')
    .option('--balance-below <n>', 'only people whose balance (awarded plus purchased) is below n')
    .addOption(formats('text', 'json', 'csv'))
    .action(run(async (_o: unknown, cmd: Command) => (await import('./commands/users.ts')).users(globals(cmd) as never, io)));
  root
    .command('import-csv <file>')
    .description(
      'invite people from a spreadsheet (columns by header: email, name, role, organization, department, workspaces, github); every row is checked, nothing is written if one is bad',
    )
    .option('--into <fragment>', 'the fragment to add them to (default: DIR/imported.yaml; comments kept)')
    .option('--role <role>', 'role of rows without one')
    .option('--organization <name>', 'organization of rows without one')
    .option('--workspace <name>', 'workspace (as member) of rows without a workspaces cell')
    .action(
      run(async (file: string, _o: unknown, cmd: Command) => (await import('./commands/import-csv.ts')).importCsvCommand(file, globals(cmd) as never, io)),
    );
  root
    .command('fmt [files...]')
    .description('canonical formatting of fragments (key order, indentation, quoting), comments kept; default: every fragment under --dir')
    .option('--check', 'write nothing; exit 1 naming the files that are not formatted (for CI)')
    .action(run(async (files: string[], _o: unknown, cmd: Command) => (await import('./commands/fmt.ts')).fmt(files, globals(cmd) as never, io)));
  return root;
}

/** The one error boundary: typed errors become messages and exit codes; anything else is a bug. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let format = 'text';
  let code: number = ExitCode.ok;
  const cmd = program(
    io,
    (f) => (format = f),
    (c) => (code = c),
  );
  try {
    await cmd.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.ok : ExitCode.error;
    if (e instanceof InvalidInputError) {
      if (format === 'json') io.out(renderProblemsJson(e.problems));
      else if (format === 'github') io.out(renderProblemsGithub(e.problems) + '\n');
      else io.err(renderProblemsText(e.problems, { color: io.color }) + '\n');
      return e.exitCode;
    }
    if (e instanceof StalePlanError) {
      io.err(`Error: ${showInvisibleLines(e.message)}. Make a new plan. Differences:\n${e.differences.map((d) => `  ${showInvisible(d)}`).join('\n')}\n`);
      return e.exitCode;
    }
    if (e instanceof RosterError) {
      io.err(`Error: ${showInvisibleLines(e.message)}\n`);
      return e.exitCode;
    }
    // A disk full, read-only or forbidden file anywhere on the way (lock file, trail, saved plan) is a fault to fix, not a bug.
    const fault = fileFault(e);
    if (fault) {
      io.err(`Error: ${showInvisibleLines(fault.message)}\n`);
      return fault.exitCode;
    }
    io.err(`roster: internal error; please report it with this trace:\n${(e as Error).stack ?? String(e)}\n`);
    return ExitCode.error;
  }
}
