import { resolve } from 'node:path';
import { loadDeclaration } from '../../declaration/index.ts';
import { ExitCode } from '../../errors.ts';
import { hasErrors } from '../../model/problems.ts';
import { renderProblemsGithub, renderProblemsJson, renderProblemsText } from '../../render/problems.ts';
import { parseNow } from '../now.ts';
import type { GlobalOptions } from '../options.ts';
import type { Io } from '../io.ts';

export async function validate(opts: GlobalOptions & { format: string }, io: Io): Promise<number> {
  const result = loadDeclaration(resolve(io.cwd, opts.dir), { now: parseNow(opts.now), cwd: io.cwd });
  const invalid = hasErrors(result.problems);
  if (opts.format === 'json') io.out(renderProblemsJson(result.problems));
  else if (opts.format === 'github') {
    if (result.problems.length) io.out(renderProblemsGithub(result.problems) + '\n');
    if (!invalid) io.out(`declaration is valid (${result.declaration!.users.length} users)\n`);
  } else if (invalid) io.err(renderProblemsText(result.problems, { color: io.color }) + '\n');
  else {
    if (result.problems.length) io.err(renderProblemsText(result.problems, { color: io.color }) + '\n');
    const d = result.declaration!;
    io.out(
      `The declaration is valid: ${d.users.length} users, ${d.roles.length} roles, ${d.organizations.length} organizations, ${d.workspaces.length} workspaces, ${d.credits.length} credit grants in ${d.files.length} files.\n`,
    );
  }
  return invalid ? ExitCode.error : ExitCode.ok;
}
