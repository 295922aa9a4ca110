import { runMigrate } from '../../engine/migrate.ts';
import { ExitCode } from '../../errors.ts';
import type { Io } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { runContext } from '../run-context.ts';

/** Creates the postgres store or brings it to this version (engine/migrate.ts), and says so. */
export async function migrateStore(opts: GlobalOptions, io: Io): Promise<number> {
  const { target, version, applied } = await runMigrate(runContext(opts, io));
  io.out(`The store ${target} is at schema version ${version} (${applied} migration(s) applied); plans can now read it.\n`);
  return ExitCode.ok;
}
