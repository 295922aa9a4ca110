import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_SETTINGS } from '../model/settings.ts';
import { ConfigError, UsageError } from '../errors.ts';
import { exportDeclaration } from '../export/index.ts';
import type { ExportOptions } from '../export/model.ts';
import { mergeIntoFragments } from '../export/merge.ts';
import type { ProviderName } from '../model/capabilities.ts';
import type { Declaration } from '../model/declaration.ts';
import type { LiveState, Provider } from '../model/live.ts';
import { declarationDir, type RunContext } from './context.ts';
import type { RunObserver } from './observer.ts';
import { loadForRun, openLive, READ_ONLY, using } from './stores.ts';

export interface ExportRunInput {
  /** The live system (default: settings.provider of the declaration folder, else postgres). */
  provider?: ProviderName;
  includeUnmanaged?: boolean;
  /** Folder to write the fragments to (default: the declaration folder); it must hold none yet. */
  out?: string;
  /** Fold the live changes into the fragments of the declaration folder instead. */
  merge?: boolean;
  /** With merge: the fragment new entities go to. */
  into?: string;
  /** The instant the declaration is loaded for, read only when there is one. */
  now: () => Date;
}

export type ExportRun =
  { merged: false; out: string; files: string[]; accounts: number; notes: string[] } | { merged: true; files: string[]; changes: string[]; notes: string[] };

/** Fragments already in a folder (any depth), relative to it. */
export function fragmentsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort();
}

/** The declaration in the folder, when there is one: it says which provider, GitHub logins, excluded accounts. Invalid: its problems, nothing read. */
function existingDeclaration(ctx: RunContext, now: () => Date, observer: RunObserver): Declaration | undefined {
  if (fragmentsIn(declarationDir(ctx)).length === 0) return undefined;
  return loadForRun(ctx, now(), observer);
}

/** Opens the live system read-only in intent: an embedded store that does not exist yet is an error, not a new store. */
function openFor(provider: ProviderName, hints: Declaration | undefined, ctx: RunContext, observer: RunObserver): Promise<Provider> {
  if (provider === 'postgres') {
    const dataDir = resolve(ctx.cwd, ctx.dataDir ?? ctx.env.ROSTER_DATA_DIR ?? '.roster/live');
    if (!ctx.env.ROSTER_DATABASE_URL && !existsSync(dataDir))
      throw new ConfigError(
        `there is no embedded store at ${relative(ctx.cwd, dataDir) || '.'} to export (set ROSTER_DATABASE_URL for a server, or --data-dir)`,
      );
    // Read access: a store an older roster wrote is refused (run roster migrate), not migrated by an export.
    return openLive(ctx, READ_ONLY);
  }
  const base: Declaration = hints ?? {
    settings: DEFAULT_SETTINGS,
    organizations: [],
    roles: [],
    workspaces: [],
    projects: [],
    packages: [],
    users: [],
    credits: [],
    files: [],
    digest: '',
  };
  return openLive(ctx, { declaration: { ...base, settings: { ...base.settings, provider } }, observer });
}

/**
 * `roster export`: the live system written as a declaration into an empty
 * folder, or with `merge` folded into the fragments that are there, as
 * edits at the values that differ.
 */
export async function runExport(ctx: RunContext, input: ExportRunInput, observer: RunObserver = {}): Promise<ExportRun> {
  const hints = existingDeclaration(ctx, input.now, observer);
  const provider = input.provider ?? hints?.settings.provider ?? 'postgres';
  if (input.merge && !hints)
    throw new UsageError(`--merge folds the live system into the fragments in ${ctx.dir}, and there are none: run roster export first`);
  if (input.merge && input.out) throw new UsageError('--merge edits the fragments in --dir in place; --out is for a new export');
  if (input.into && !input.merge) throw new UsageError('--into names where --merge puts new entities; use it with --merge');
  const out = resolve(ctx.cwd, input.out ?? ctx.dir);
  const existing = fragmentsIn(out);
  if (!input.merge && existing.length) {
    throw new UsageError(
      `${relative(ctx.cwd, out) || '.'} already holds fragments (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''}): export into an empty folder (--out DIR), or fold the live changes into them with --merge`,
    );
  }
  const live = await using(await openFor(provider, hints, ctx, observer), (p) => p.read());
  const options = { provider, includeUnmanaged: Boolean(input.includeUnmanaged), ...(hints && { hints }) };
  if (input.merge) return merge(live, { ...options, hints: hints! }, ctx, input);
  const { files, notes } = exportDeclaration(live, options);
  for (const [path, text] of files) {
    const full = join(out, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return { merged: false, out, files: [...files.keys()], accounts: live.users.length, notes };
}

/** The live values folded into the fragments of the declaration folder, as edits at the values that differ. */
function merge(live: LiveState, options: ExportOptions & { hints: Declaration }, ctx: RunContext, input: ExportRunInput): ExportRun {
  const d = options.hints;
  const texts = new Map(d.files.map((f) => [f, readFileSync(resolve(ctx.cwd, f), 'utf8')]));
  const result = mergeIntoFragments({
    declaration: d,
    texts,
    live,
    options,
    dir: relative(ctx.cwd, declarationDir(ctx)),
    ...(input.into && { into: relative(ctx.cwd, resolve(ctx.cwd, input.into)) }),
    today: input.now().toISOString().slice(0, 10),
  });
  for (const [path, text] of result.files) {
    const full = resolve(ctx.cwd, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return { merged: true, files: [...result.files.keys()], changes: result.changes, notes: result.notes };
}
