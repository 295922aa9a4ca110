/**
 * People by address, one index per list, built on first use: the rules and
 * the plan share the declaration's. A reader that builds one anyway (the
 * postgres read, for the live state) hands it over instead. Callers only read
 * the maps they get.
 */
const indexes = new WeakMap<readonly { email: string }[], Map<string, { email: string }>>();

export function rememberByEmail<T extends { email: string }>(people: readonly T[], index: Map<string, T>): void {
  indexes.set(people, index);
}

export function byEmail<T extends { email: string }>(people: readonly T[]): Map<string, T> {
  let index = indexes.get(people) as Map<string, T> | undefined;
  if (!index) indexes.set(people, (index = new Map(people.map((p) => [p.email, p]))));
  return index;
}
