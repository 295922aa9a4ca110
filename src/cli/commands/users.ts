import { ExitCode, UsageError } from '../../errors.ts';
import { userView, type UserFilter } from '../../plan/user-view.ts';
import { VIEW_STATUSES, type ViewStatus } from '../../model/user-view.ts';
import { renderUsersCsv, renderUsersJson, renderUsersText } from '../../render/users.ts';
import { loadWhileReading, parseNow, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';

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
  const { declaration, provider } = await loadWhileReading(opts, io, parseNow(opts.now));
  let live;
  try {
    live = await provider.read();
  } finally {
    await provider.close();
  }
  const rows = userView(declaration, live, filter);
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
