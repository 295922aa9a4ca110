/**
 * People by address, one index per list. Whoever builds one anyway (the
 * merger for the declaration, the postgres read for the live state) hands it
 * over here, and the rules and the plan take it instead of building it again.
 * Callers only read the maps they get.
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
