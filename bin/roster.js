#!/usr/bin/env node
// roster runs its build (dist/, made by `npm ci` through the prepare script)
// when the build is there and no source is newer than it; otherwise it runs
// the TypeScript sources through tsx, so an edit in src/ is never hidden by a
// stale build and a checkout without dist/ still works.
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22.1+ keeps the compiled code of the modules loaded from here on in a
// cache (NODE_COMPILE_CACHE, else node-compile-cache in the OS temp folder),
// checked against each file's contents, so the next run skips compiling them;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. Older Node has no such call.
module.enableCompileCache?.();

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}dist/.built`;

/** The build is fresh when its stamp is newer than every file under src/. */
function buildIsFresh() {
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

let cli;
if (buildIsFresh()) {
  cli = await import('../dist/cli/main.js');
} else {
  (await import('tsx/esm/api')).register();
  cli = await import('../src/cli/main.ts');
}
const { main, guardProcess } = cli;
// A closed pipe (roster plan | head) and Ctrl-C end the run quietly (src/cli/io.ts).
guardProcess?.();
process.exitCode = await main(process.argv.slice(2));
// The run is over once main returns. A PGlite that failed to start (a data
// dir on a full or read-only disk) can keep the event loop waiting with no
// handle to close; this timer is unref'd, so a clean run exits before it.
setTimeout(() => process.exit(), 2000).unref();
