import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { importCsv, type ImportDefaults } from '../declaration/import-csv.ts';
import { loadDeclaration } from '../declaration/index.ts';
import { appendUsers } from '../declaration/write-fragment.ts';
import { InvalidInputError, UsageError } from '../errors.ts';
import { hasErrors } from '../model/problems.ts';
import { declarationDir, type RunContext } from './context.ts';
import type { RunObserver } from './observer.ts';
import { loadForRun } from './stores.ts';

/**
 * `roster import-csv`: reads the spreadsheet, checks every row, and only
 * when all are good appends them to one fragment (`into`, default
 * DIR/imported.yaml); the result is validated (in a copy of the declaration
 * folder) before the real file is replaced, in one rename. Returns how many
 * people were added, and to which file (relative to the working dir).
 */
export async function runImportCsv(
  ctx: RunContext,
  csvFile: string,
  input: { now: Date; into?: string; defaults: ImportDefaults },
  observer: RunObserver = {},
): Promise<{ added: number; file: string }> {
  const { now } = input;
  const dir = declarationDir(ctx);
  const target = resolve(ctx.cwd, input.into ?? join(ctx.dir, 'imported.yaml'));
  if (!target.startsWith(dir + sep) || !/\.ya?ml$/.test(target))
    throw new UsageError(`--into must be a .yaml file under the declaration folder ${ctx.dir}, got "${input.into}"`);
  const declaration = loadForRun(ctx, now, observer);
  const shown = relative(ctx.cwd, resolve(ctx.cwd, csvFile));
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(ctx.cwd, csvFile));
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const imported = importCsv(shown, bytes, declaration, input.defaults);
  if (imported.problems.length) throw new InvalidInputError(imported.problems);

  const file = relative(ctx.cwd, target);
  const existing = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  const schema = relative(dirname(target), resolve(ctx.cwd, 'schema/roster.schema.json')).split(sep).join('/');
  const written = appendUsers(file, existing, imported.users, { schema, note: `Invited from ${shown} by roster import-csv.` });
  if (written.problems.length) throw new InvalidInputError(written.problems);
  checkInCopy(ctx.cwd, dir, target, written.text, now);
  const temp = `${target}.roster-tmp`;
  writeFileSync(temp, written.text);
  renameSync(temp, target);
  return { added: imported.users.length, file };
}

/** The declaration with the new text, loaded from a copy: a problem the row checks missed still writes nothing. */
function checkInCopy(cwd: string, dir: string, target: string, text: string, now: Date): void {
  const root = mkdtempSync(join(tmpdir(), 'roster-import-'));
  try {
    const copy = join(root, relative(cwd, dir));
    cpSync(dir, copy, { recursive: true });
    writeFileSync(join(root, relative(cwd, target)), text);
    const result = loadDeclaration(copy, { now, cwd: root });
    if (hasErrors(result.problems)) throw new InvalidInputError(result.problems);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
