import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { importCsv, type ImportDefaults } from '../../declaration/import-csv.ts';
import { loadDeclaration } from '../../declaration/index.ts';
import { appendUsers } from '../../declaration/write-fragment.ts';
import { ExitCode, InvalidInputError, UsageError } from '../../errors.ts';
import { hasErrors } from '../../model/problems.ts';
import { loadOrFail, parseNow, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';

export interface ImportCsvOptions extends GlobalOptions, ImportDefaults {
  into?: string;
}

/**
 * Reads the spreadsheet, checks every row, and only when all are good
 * appends them to one fragment; the result is validated (in a copy of the
 * declaration folder) before the real file is replaced, in one rename.
 */
export async function importCsvCommand(csvFile: string, opts: ImportCsvOptions, io: Io): Promise<number> {
  const now = parseNow(opts.now);
  const dir = resolve(io.cwd, opts.dir);
  const target = resolve(io.cwd, opts.into ?? join(opts.dir, 'imported.yaml'));
  if (!target.startsWith(dir + sep) || !/\.ya?ml$/.test(target)) throw new UsageError(`--into must be a .yaml file under the declaration folder ${opts.dir}, got "${opts.into}"`);
  const declaration = loadOrFail(opts, io, now);
  const shown = relative(io.cwd, resolve(io.cwd, csvFile));
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(io.cwd, csvFile));
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const imported = importCsv(shown, bytes, declaration, opts);
  if (imported.problems.length) throw new InvalidInputError(imported.problems);

  const file = relative(io.cwd, target);
  const existing = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  const schema = relative(dirname(target), resolve(io.cwd, 'schema/roster.schema.json')).split(sep).join('/');
  const written = appendUsers(file, existing, imported.users, { schema, note: `Invited from ${shown} by roster import-csv.` });
  if (written.problems.length) throw new InvalidInputError(written.problems);
  checkInCopy(io.cwd, dir, target, written.text, now);
  const temp = `${target}.roster-tmp`;
  writeFileSync(temp, written.text);
  renameSync(temp, target);
  io.out(`Added ${imported.users.length} user(s) to ${file}. Run roster plan to see the invitations.\n`);
  return ExitCode.ok;
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
