import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_SETTINGS } from '../../declaration/normalize.ts';
import type { Declaration } from '../../declaration/types.ts';
import { ConfigError, UsageError } from '../../errors.ts';
import { exportDeclaration } from '../../export/index.ts';
import type { ProviderName } from '../../providers/capabilities.ts';
import type { Provider } from '../../providers/types.ts';
import { loadOrFail, openProvider, parseNow, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';

export interface ExportFlags {
  out?: string;
  provider?: ProviderName;
  includeUnmanaged?: boolean;
  merge?: boolean;
}

/** Fragments already in a folder (any depth), relative to it. */
export function fragmentsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort();
}

/** The declaration in --dir, when there is one: it says which provider, GitHub logins, excluded accounts. Invalid: its problems, nothing read. */
function existingDeclaration(opts: GlobalOptions, io: Io): Declaration | undefined {
  if (fragmentsIn(resolve(io.cwd, opts.dir)).length === 0) return undefined;
  return loadOrFail(opts, io, parseNow(opts.now));
}

/** Opens the live system read-only in intent: an embedded store that does not exist yet is an error, not a new store. */
async function openFor(provider: ProviderName, hints: Declaration | undefined, opts: GlobalOptions, io: Io): Promise<Provider> {
  if (provider === 'postgres') {
    const dataDir = resolve(io.cwd, opts.dataDir ?? io.env.ROSTER_DATA_DIR ?? '.roster/live');
    if (!io.env.ROSTER_DATABASE_URL && !existsSync(dataDir)) throw new ConfigError(`there is no embedded store at ${relative(io.cwd, dataDir) || '.'} to export (set ROSTER_DATABASE_URL for a server, or --data-dir)`);
    return openProvider(opts, io);
  }
  const base: Declaration = hints ?? { settings: DEFAULT_SETTINGS, organizations: [], roles: [], workspaces: [], projects: [], packages: [], users: [], credits: [], files: [], digest: '' };
  return openProvider(opts, io, { ...base, settings: { ...base.settings, provider } });
}

export async function exportCommand(opts: GlobalOptions & ExportFlags, io: Io): Promise<number> {
  const hints = existingDeclaration(opts, io);
  const provider = opts.provider ?? hints?.settings.provider ?? 'postgres';
  const out = resolve(io.cwd, opts.out ?? opts.dir);
  const existing = fragmentsIn(out);
  if (!opts.merge && existing.length) {
    throw new UsageError(`${relative(io.cwd, out) || '.'} already holds fragments (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''}): export into an empty folder (--out DIR), or fold the live changes into them with --merge`);
  }
  const live = await openFor(provider, hints, opts, io).then(async (p) => {
    try {
      return await p.read();
    } finally {
      await p.close();
    }
  });
  const options = { provider, includeUnmanaged: Boolean(opts.includeUnmanaged), ...(hints && { hints }) };
  const { files, notes } = exportDeclaration(live, options);
  for (const [path, text] of files) {
    const full = join(out, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  for (const note of notes) io.err(`Note: ${note}\n`);
  const people = live.users.length;
  io.out(`Exported ${files.size} fragments to ${relative(io.cwd, out) || '.'} (${people} live accounts read). Check them with: roster validate --dir ${relative(io.cwd, out) || '.'} && roster plan --dir ${relative(io.cwd, out) || '.'}\n`);
  return 0;
}
