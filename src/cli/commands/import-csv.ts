import type { ImportDefaults } from '../../declaration/import-csv.ts';
import { runImportCsv } from '../../engine/import-csv.ts';
import { ExitCode } from '../../errors.ts';
import type { Io } from '../io.ts';
import { parseNow } from '../now.ts';
import type { GlobalOptions } from '../options.ts';
import { printingObserver, runContext } from '../run-context.ts';

export interface ImportCsvOptions extends GlobalOptions, ImportDefaults {
  into?: string;
}

/** Invites the spreadsheet's people (engine/import-csv.ts): every row checked, nothing written if one is bad. */
export async function importCsvCommand(csvFile: string, opts: ImportCsvOptions, io: Io): Promise<number> {
  const defaults: ImportDefaults = { role: opts.role, organization: opts.organization, workspace: opts.workspace };
  const { added, file } = await runImportCsv(runContext(opts, io), csvFile, { now: parseNow(opts.now), into: opts.into, defaults }, printingObserver(io));
  io.out(`Added ${added} user(s) to ${file}. Run roster plan to see the invitations.\n`);
  return ExitCode.ok;
}
