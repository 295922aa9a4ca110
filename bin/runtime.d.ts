/** The build in dist/ is there and newer than every file under src/ (and ROSTER_FROM_SOURCES is not 1). */
export function buildIsFresh(): boolean;
/** Imports a module of roster's by its path under src/ without the extension, e.g. `cli/main`: from dist/ when the build is fresh, else the sources. */
export function load(path: string): Promise<Record<string, unknown>>;
