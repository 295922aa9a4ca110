/**
 * Runs of a fast-check property: `ci` in the ordinary suite, sized so the
 * property takes a few seconds on two loaded cores (a synchronous property
 * that runs for a minute also starves vitest's worker of its event loop);
 * ROSTER_PROPERTY_RUNS=N runs N instead, as the nightly job does.
 */
export function propertyRuns(ci: number): number {
  const long = Number(process.env.ROSTER_PROPERTY_RUNS);
  return Number.isInteger(long) && long > 0 ? long : ci;
}
