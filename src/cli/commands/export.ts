import { relative } from 'node:path';
import { runExport } from '../../engine/export.ts';
import type { ProviderName } from '../../model/capabilities.ts';
import { showInvisible } from '../../util/strings.ts';
import type { Io } from '../io.ts';
import { parseNow } from '../now.ts';
import type { GlobalOptions } from '../options.ts';
import { printingObserver, runContext } from '../run-context.ts';

export interface ExportFlags {
  out?: string;
  provider?: ProviderName;
  includeUnmanaged?: boolean;
  merge?: boolean;
  into?: string;
  /** json: one document on stdout (what was written or folded in); notes stay on stderr. */
  format?: string;
}

export async function exportCommand(opts: GlobalOptions & ExportFlags, io: Io): Promise<number> {
  const run = await runExport(
    runContext(opts, io),
    { provider: opts.provider, includeUnmanaged: opts.includeUnmanaged, out: opts.out, merge: opts.merge, into: opts.into, now: () => parseNow(opts.now) },
    printingObserver(io),
  );
  for (const note of run.notes) io.err(`Note: ${note}\n`);
  const fragments = [...run.files].sort();
  if (!run.merged) {
    const shown = relative(io.cwd, run.out) || '.';
    if (opts.format === 'json') io.out(JSON.stringify({ formatVersion: 1, out: shown, accounts: run.accounts, fragments }, null, 2) + '\n');
    else
      io.out(
        `Exported ${run.files.length} fragments to ${shown} (${run.accounts} live accounts read). Check them with: roster validate --dir ${shown} && roster plan --dir ${shown}\n`,
      );
  } else if (opts.format === 'json') io.out(JSON.stringify({ formatVersion: 1, changes: run.changes, fragments }, null, 2) + '\n');
  else if (!run.changes.length) io.out('The fragments already match the live system: nothing to fold in.\n');
  else
    io.out(
      `Folded ${run.changes.length} live change(s) into ${run.files.length} fragment(s):\n${run.changes.map((c) => `  ${showInvisible(c)}`).join('\n')}\n`,
    );
  return 0;
}
