/** Wall and CPU time of a phase, and the process's peak memory so far. */
export interface Lap {
  ms: number;
  cpuMs: number;
}

export function peakRssMb(): number {
  // maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; lap: Lap }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, lap: { ms: round(performance.now() - start), cpuMs: round((used.user + used.system) / 1000) } };
}

export const round = (n: number) => Math.round(n * 10) / 10;
