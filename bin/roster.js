#!/usr/bin/env node
// roster runs from its TypeScript sources: tsx compiles on load, so `npm ci`
// is the whole install and there is no build output to go stale.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// The run is over once main returns. A PGlite that failed to start (a data
// dir on a full or read-only disk) can keep the event loop waiting with no
// handle to close; this timer is unref'd, so a clean run exits before it.
setTimeout(() => process.exit(), 2000).unref();
