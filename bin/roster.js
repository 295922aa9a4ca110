#!/usr/bin/env node
// roster runs from its TypeScript sources: tsx compiles on load, so `npm ci`
// is the whole install and there is no build output to go stale.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
