import { ExitCode, UsageError } from '../../errors.ts';
import { runUsers } from '../../engine/users.ts';
import { VIEW_STATUSES, type ViewStatus } from '../../model/user-view.ts';
import type { UserFilter } from '../../plan/user-view.ts';
import { renderUsersCsv, renderUsersJson, renderUsersText } from '../../render/users.ts';
import type { Io } from '../io.ts';
import { parseNow } from '../now.ts';
import type { GlobalOptions } from '../options.ts';
import { printingObserver, runContext } from '../run-context.ts';

export interface UsersOptions extends GlobalOptions {
  format: string;
  role?: string;
  status?: string;
  organization?: string;
  workspace?: string;
  department?: string;
  balanceBelow?: string;
}

/** Read-only: reads the live system and the declaration, never writes to either. */
export async function users(opts: UsersOptions, io: Io): Promise<number> {
  const filter = filterOf(opts);
  const rows = await runUsers(runContext(opts, io), { now: parseNow(opts.now), filter }, printingObserver(io));
  io.out(opts.format === 'json' ? renderUsersJson(rows) : opts.format === 'csv' ? renderUsersCsv(rows) : renderUsersText(rows));
  return ExitCode.ok;
}

function filterOf(opts: UsersOptions): UserFilter {
  const f: UserFilter = {};
  if (opts.status !== undefined) {
    if (!VIEW_STATUSES.includes(opts.status as ViewStatus)) throw new UsageError(`--status must be one of ${VIEW_STATUSES.join(', ')}, got "${opts.status}"`);
    f.status = opts.status as ViewStatus;
  }
  if (opts.balanceBelow !== undefined) {
    const n = Number(opts.balanceBelow);
    if (opts.balanceBelow.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--balance-below must be a number, got "${opts.balanceBelow}"`);
    f.balanceBelow = n;
  }
  for (const key of ['role', 'organization', 'workspace', 'department'] as const) if (opts[key] !== undefined) f[key] = opts[key];
  return f;
}
