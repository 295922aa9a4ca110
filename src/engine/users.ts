import type { UserRow } from '../model/user-view.ts';
import { userView, type UserFilter } from '../plan/user-view.ts';
import type { RunContext } from './context.ts';
import type { RunObserver } from './observer.ts';
import { loadWhileReading, using } from './stores.ts';

/** `roster users`: who has what, the live state joined with the declaration. Read-only: writes to neither. */
export async function runUsers(ctx: RunContext, input: { now: Date; filter: UserFilter }, observer: RunObserver = {}): Promise<UserRow[]> {
  const { declaration, provider } = await loadWhileReading(ctx, input.now, observer);
  const live = await using(provider, (p) => p.read());
  return userView(declaration, live, input.filter);
}
