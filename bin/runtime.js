// Which code a roster process runs, decided once: its build (dist/, made by
// `npm ci` through the prepare script) when the build is there and no source
// is newer than it; otherwise the TypeScript sources through tsx, so an edit
// in src/ is never hidden by a stale build and a checkout without dist/ still
// works. bin/roster.js and the crash tests' entry both load through here.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}dist/.built`;

/** The build is fresh when its stamp is newer than every file under src/. */
export function buildIsFresh() {
  if (process.env.ROSTER_FROM_SOURCES === '1' || !existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  const dirs = [`${root}src`];
  while (dirs.length) {
    const dir = dirs.pop();
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) dirs.push(path);
      else if (statSync(path).mtimeMs > built) return false;
    }
  }
  return true;
}

let fromBuild;

/** Imports a module of roster's by its path under src/ without the extension, e.g. `cli/main`. */
export async function load(path) {
  if (fromBuild === undefined) {
    fromBuild = buildIsFresh();
    if (!fromBuild) (await import('tsx/esm/api')).register();
  }
  return import(new URL(fromBuild ? `../dist/${path}.js` : `../src/${path}.ts`, import.meta.url).href);
}
