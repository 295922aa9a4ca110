import { createHash } from 'node:crypto';
import { hasErrors, sortProblems, type Problem } from '../model/problems.ts';
import { readFragments, type FragmentText } from './files.ts';
import { commonParse } from './common-parse.ts';
import { fastParse, readsAsPrecise } from './fast-parse.ts';
import { fastLocator, preciseLocator } from './locator.ts';
import { createMerger } from './normalize.ts';
import { parseFragment } from './parse.ts';
import { checkRules } from './rules.ts';
import { checkSchema, passesSchema } from './schema.ts';
import type { RosterFragment } from '../model/schema.generated.ts';
import type { LoadResult } from '../model/declaration.ts';
import type { ProgressObserver } from '../model/progress.ts';

export interface LoadOptions {
  /** The instant rules compare dates with (expiry). */
  now: Date;
  cwd?: string;
  /** Read every file with the precise parser (tests compare the two paths). */
  precise?: boolean;
  /** Filled with milliseconds spent per layer, for the benchmark. */
  timings?: Partial<Record<LoadPhase, number>>;
  /** Told the files read so far, for a progress display over a big tree. */
  progress?: ProgressObserver;
}

export type LoadPhase = 'read' | 'parse' | 'schema' | 'merge' | 'rules';

/**
 * Reads the declaration folder and returns the desired state, or every
 * problem found. Never throws on bad input. Layers run in order (files,
 * YAML, schema, then semantic rules) and semantic rules run only on a
 * declaration whose every file passed the schema, so one typo does not
 * cascade into dozens of dangling-reference errors.
 *
 * Each file is first read by the fast path (the line parser, or js-yaml for
 * what it leaves); a file neither fully understands, or whose content does
 * not pass the schema, is read again by the precise path, which finds and
 * locates every problem. Both give the
 * same data and the same locations (test/declaration/fast-path.test.ts).
 */
export function loadDeclaration(dir: string, options: LoadOptions): LoadResult {
  options.progress?.start('load');
  try {
    return load(dir, options);
  } finally {
    options.progress?.end('load');
  }
}

function load(dir: string, options: LoadOptions): LoadResult {
  let last = performance.now();
  const lap = (phase: LoadPhase) => {
    const now = performance.now();
    if (options.timings) options.timings[phase] = (options.timings[phase] ?? 0) + now - last;
    last = now;
  };
  const read = readFragments(dir, options.cwd);
  lap('read');
  const problems: Problem[] = [...read.problems];
  // Valid files are merged as they are read: each file's parsed data can go before the next is parsed.
  const merger = createMerger();
  const parsedBy: LoadResult['parsedBy'] = { fast: [], precise: [], located: { regions: 0, files: 0 } };
  for (const [done, { file, text }] of read.fragments.entries()) {
    options.progress?.advance(done, read.fragments.length);
    const fast = options.precise ? undefined : (commonParse(file, text) ?? fastParse(file, text));
    lap('parse');
    const passes = fast !== undefined && passesSchema(fast.value) && readsAsPrecise(fast.value as RosterFragment);
    lap('schema');
    if (passes) {
      merger.add({ file, value: fast.value as RosterFragment, locations: fastLocator(fast, parsedBy.located) });
      lap('merge');
      parsedBy.fast.push(file);
      continue;
    }
    parsedBy.precise.push(file);
    const parsed = parseFragment(file, text);
    lap('parse');
    problems.push(...parsed.problems);
    if (hasErrors(parsed.problems)) continue;
    const schemaProblems = checkSchema(parsed);
    lap('schema');
    problems.push(...schemaProblems);
    if (hasErrors(schemaProblems)) continue;
    merger.add({ file, value: (parsed.value ?? {}) as RosterFragment, locations: preciseLocator(file, parsed.locations) });
    lap('merge');
  }
  if (hasErrors(problems)) return { problems: sortProblems(problems), parsedBy };

  const merged = merger.finish(filesDigest(read.fragments));
  lap('merge');
  problems.push(...merged.problems);
  problems.push(...checkRules(merged.declaration, { today: options.now.toISOString().slice(0, 10) }));
  lap('rules');
  const sorted = sortProblems(problems);
  return hasErrors(sorted) ? { problems: sorted, parsedBy } : { declaration: merged.declaration, problems: sorted, parsedBy };
}

/** sha256 over every fragment's path and text, in the stable order they were read. */
function filesDigest(fragments: FragmentText[]): string {
  const hash = createHash('sha256');
  for (const { file, text } of [...fragments].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)))
    hash.update(`${file}\u0000${text.length}\u0000`).update(text);
  return `sha256:${hash.digest('hex')}`;
}
