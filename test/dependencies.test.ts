import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  exports: Record<string, string>;
};

// Statements that load a module at run time: `import … from`, `export … from`, bare `import '…'` and `import('…')`.
// `import type` and `export type` are erased by the compiler and load nothing.
const LOADS = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every package the files reachable from `entries` load at run time, with the first file that loads it. */
function packagesLoaded(entries: string[]): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(LOADS)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        // The build (dist/) is src/ compiled: bin/roster.js's other branch visits the same modules as sources.
        if (target.startsWith(resolve(root, 'dist') + '/')) continue;
        if (!existsSync(target)) throw new Error(`${file} loads ${spec}, which does not exist`);
        if (/\.(ts|mjs|js)$/.test(target)) visit(target);
        continue;
      }
      if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (!packages.has(name)) packages.set(name, file.slice(root.length + 1));
    }
  };
  for (const entry of entries) visit(resolve(root, entry));
  return packages;
}

describe('dependencies', () => {
  it('the CLI loads only runtime dependencies, so an install without dev dependencies runs (and no run pays for dev tools)', () => {
    // The CLI (bin/runtime.js loads src/cli/main.ts by path), and the worker thread that reads the store (started by URL, not by an import).
    const loaded = packagesLoaded(['bin/roster.js', 'src/cli/main.ts', 'src/util/worker-boot.mjs', 'src/providers/postgres/read-worker.ts']);
    expect(loaded.get('@electric-sql/pglite')).toBeDefined();
    expect(loaded.get('commander')).toBeDefined();
    const notRuntime = [...loaded].filter(([name]) => !(name in pkg.dependencies)).map(([name, file]) => `${name} (loaded by ${file})`);
    expect(notRuntime).toEqual([]);
  });

  it('roster/pulumi loads runtime dependencies and @pulumi/pulumi, which the Pulumi program brings (an optional peer)', () => {
    const loaded = packagesLoaded([pkg.exports['./pulumi']!]);
    expect(loaded.get('@pulumi/pulumi')).toBeDefined();
    expect(pkg.peerDependencies['@pulumi/pulumi']).toBeDefined();
    const notRuntime = [...loaded]
      .filter(([name]) => !(name in pkg.dependencies) && !(name in pkg.peerDependencies))
      .map(([name, file]) => `${name} (loaded by ${file})`);
    expect(notRuntime).toEqual([]);
  });

  it('declares every runtime dependency it loads, and nothing twice', () => {
    const both = Object.keys(pkg.dependencies).filter((name) => name in pkg.devDependencies);
    expect(both).toEqual([]);
  });
});
