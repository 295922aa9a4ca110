import { DEFAULT_SETTINGS } from '../model/settings.ts';
import type { Declaration, ResolvedSettings } from '../model/declaration.ts';
import type { LiveState } from '../model/live.ts';
import { addStep, at, type PlanContext } from './context.ts';

type Guards = ResolvedSettings['guards'];
export const GUARD_KEYS = ['maxRemovalPercent', 'minAdmins', 'privilegedCreditAmount'] as const;
const KEYS = GUARD_KEYS;

/** The guard settings recorded in the live system (defaults where none was recorded), or undefined where it records none. */
function recorded(live: LiveState): Guards | undefined {
  return live.guards && { ...DEFAULT_SETTINGS.guards, ...live.guards };
}

/** Each guard at its strictest of two sides. */
function stricter(a: Guards, b: Guards): Guards {
  return {
    maxRemovalPercent: Math.min(a.maxRemovalPercent, b.maxRemovalPercent),
    minAdmins: Math.max(a.minAdmins, b.minAdmins),
    privilegedCreditAmount: Math.min(a.privilegedCreditAmount, b.privilegedCreditAmount),
  };
}

/** A side that names only some guards holds the defaults for the others. */
export const withDefaults = (g: Partial<Guards>): Guards => ({ ...DEFAULT_SETTINGS.guards, ...g });

/**
 * The guard settings that judge a plan: the live side's, so a change cannot
 * relax the rules it is judged by (raising privilegedCreditAmount next to a
 * large grant). A declaration may tighten them at once; loosening takes
 * effect once applied. Where the live system records no settings (SCIM,
 * GitHub), the pull request's base commit is the side it starts from
 * (`--github` runs pass it); without either, the declaration's.
 */
export function guardsInForce(d: Declaration, live: LiveState, base?: Partial<Guards>): Guards {
  let guards = d.settings.guards;
  const recordedLive = recorded(live);
  if (recordedLive) guards = stricter(guards, recordedLive);
  if (base) guards = stricter(guards, withDefaults(base));
  return guards;
}

/** A change to a setting that decides what is privileged or guarded is itself privileged, and recorded in the live system. */
export function planGuardSettings(ctx: PlanContext): void {
  const base = recorded(ctx.live);
  if (!base) return;
  const source = ctx.d.settingsAt ? at(ctx.d.settingsAt) : 'settings';
  for (const key of KEYS) {
    const want = ctx.d.settings.guards[key];
    if (want === base[key]) continue;
    const name = `guards.${key}`;
    addStep(
      ctx,
      'settings.update',
      `settings:${name}`,
      { [name]: base[key] },
      { [name]: want },
      'declared guard differs; the live value judges this plan',
      source,
      ['privileged'],
    );
  }
}
