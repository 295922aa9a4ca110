// npm run build (and `npm ci`, through prepare): src/ compiled to dist/ by tsc,
// the worker bootstrap copied beside it, the JSON Schema compiled to a
// validator module (so no run compiles it; it carries the schema's hash and is
// ignored once the schema changes), then dist/.built stamped last so
// bin/roster.js never takes a half-written build for a fresh one.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // A production install (--omit=dev) has no compiler: roster then runs from its sources.
  console.error('roster build skipped: typescript is not installed; bin/roster.js runs the sources');
  process.exit(0);
}
rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
copyFileSync(`${root}src/util/worker-boot.mjs`, `${root}dist/util/worker-boot.mjs`);
const schema = await import(pathToFileURL(`${root}dist/declaration/schema.js`).href);
writeFileSync(schema.PRECOMPILED_PATH, schema.validatorModuleSource(readFileSync(schema.SCHEMA_PATH, 'utf8')));
writeFileSync(`${root}dist/.built`, `${new Date().toISOString()}\n`);
