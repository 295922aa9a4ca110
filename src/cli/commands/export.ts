import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_SETTINGS } from '../../model/settings.ts';
import type { Declaration } from '../../model/declaration.ts';
import { ConfigError, UsageError } from '../../errors.ts';
import { exportDeclaration } from '../../export/index.ts';
import type { ExportOptions } from '../../export/model.ts';
import { mergeIntoFragments } from '../../export/merge.ts';
import type { LiveState } from '../../model/live.ts';
import { showInvisible } from '../../util/strings.ts';
import type { ProviderName } from '../../model/capabilities.ts';
import type { Provider } from '../../model/live.ts';
import { loadOrFail, openProvider, parseNow, READ_ONLY, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';

export interface ExportFlags {
  out?: string;
  provider?: ProviderName;
  includeUnmanaged?: boolean;
  merge?: boolean;
  into?: string;
  /** json: one document on stdout (what was written or folded in); notes stay on stderr. */
  format?: string;
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
    // Read access: a store an older roster wrote is refused (run roster migrate), not migrated by an export.
    return openProvider(opts, io, undefined, undefined, READ_ONLY);
  }
  const base: Declaration = hints ?? { settings: DEFAULT_SETTINGS, organizations: [], roles: [], workspaces: [], projects: [], packages: [], users: [], credits: [], files: [], digest: '' };
  return openProvider(opts, io, { ...base, settings: { ...base.settings, provider } });
}

export async function exportCommand(opts: GlobalOptions & ExportFlags, io: Io): Promise<number> {
  const hints = existingDeclaration(opts, io);
  const provider = opts.provider ?? hints?.settings.provider ?? 'postgres';
  if (opts.merge && !hints) throw new UsageError(`--merge folds the live system into the fragments in ${opts.dir}, and there are none: run roster export first`);
  if (opts.merge && opts.out) throw new UsageError('--merge edits the fragments in --dir in place; --out is for a new export');
  if (opts.into && !opts.merge) throw new UsageError('--into names where --merge puts new entities; use it with --merge');
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
  if (opts.merge) return merge(live, { ...options, hints: hints! }, opts, io);
  const { files, notes } = exportDeclaration(live, options);
  for (const [path, text] of files) {
    const full = join(out, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  for (const note of notes) io.err(`Note: ${note}\n`);
  const people = live.users.length;
  const shown = relative(io.cwd, out) || '.';
  if (opts.format === 'json') io.out(JSON.stringify({ formatVersion: 1, out: shown, accounts: people, fragments: [...files.keys()].sort() }, null, 2) + '\n');
  else io.out(`Exported ${files.size} fragments to ${shown} (${people} live accounts read). Check them with: roster validate --dir ${shown} && roster plan --dir ${shown}\n`);
  return 0;
}

/** --merge: the live values folded into the fragments of --dir, as edits at the values that differ. */
function merge(live: LiveState, options: ExportOptions & { hints: Declaration }, opts: GlobalOptions & ExportFlags, io: Io): number {
  const d = options.hints;
  const texts = new Map(d.files.map((f) => [f, readFileSync(resolve(io.cwd, f), 'utf8')]));
  const result = mergeIntoFragments({
    declaration: d,
    texts,
    live,
    options,
    dir: relative(io.cwd, resolve(io.cwd, opts.dir)),
    ...(opts.into && { into: relative(io.cwd, resolve(io.cwd, opts.into)) }),
    today: parseNow(opts.now).toISOString().slice(0, 10),
  });
  for (const [path, text] of result.files) {
    const full = resolve(io.cwd, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  for (const note of result.notes) io.err(`Note: ${note}\n`);
  if (opts.format === 'json') io.out(JSON.stringify({ formatVersion: 1, changes: result.changes, fragments: [...result.files.keys()].sort() }, null, 2) + '\n');
  else if (!result.changes.length) io.out('The fragments already match the live system: nothing to fold in.\n');
  else io.out(`Folded ${result.changes.length} live change(s) into ${result.files.size} fragment(s):\n${result.changes.map((c) => `  ${showInvisible(c)}`).join('\n')}\n`);
  return 0;
}
