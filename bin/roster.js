#!/usr/bin/env node
// roster's command line: its build, or its sources when the build is stale (bin/runtime.js).
import module from 'node:module';

// Node 22.1+ keeps the compiled code of the modules loaded from here on in a
// cache (NODE_COMPILE_CACHE, else node-compile-cache in the OS temp folder),
// checked against each file's contents, so the next run skips compiling them;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. Older Node has no such call.
module.enableCompileCache?.();

const { load } = await import('./runtime.js');
const { main, guardProcess } = await load('cli/main');
// A closed pipe (roster plan | head) and Ctrl-C end the run quietly (src/cli/io.ts).
guardProcess?.();
process.exitCode = await main(process.argv.slice(2));
// The run is over once main returns. A PGlite that failed to start (a data
// dir on a full or read-only disk) can keep the event loop waiting with no
// handle to close; this timer is unref'd, so a clean run exits before it.
setTimeout(() => process.exit(), 2000).unref();
