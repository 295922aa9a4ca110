import { hasErrors, sortProblems, type Problem } from '../problems.ts';
import { readFragments } from './files.ts';
import { mergeFragments, type ValidFragment } from './normalize.ts';
import { parseFragment } from './parse.ts';
import { checkRules } from './rules.ts';
import { checkSchema } from './schema.ts';
import type { RosterFragment } from './schema.generated.ts';
import type { LoadResult } from './types.ts';

export interface LoadOptions {
  /** The instant rules compare dates with (expiry). */
  now: Date;
  cwd?: string;
}

/**
 * Reads the declaration folder and returns the desired state, or every
 * problem found. Never throws on bad input. Layers run in order (files,
 * YAML, schema, then semantic rules) and semantic rules run only on a
 * declaration whose every file passed the schema, so one typo does not
 * cascade into dozens of dangling-reference errors.
 */
export function loadDeclaration(dir: string, options: LoadOptions): LoadResult {
  const read = readFragments(dir, options.cwd);
  const problems: Problem[] = [...read.problems];
  const valid: ValidFragment[] = [];
  for (const { file, text } of read.fragments) {
    const parsed = parseFragment(file, text);
    problems.push(...parsed.problems);
    if (hasErrors(parsed.problems)) continue;
    const schemaProblems = checkSchema(parsed);
    problems.push(...schemaProblems);
    if (hasErrors(schemaProblems)) continue;
    valid.push({ file, value: (parsed.value ?? {}) as RosterFragment, locations: parsed.locations });
  }
  if (hasErrors(problems)) return { problems: sortProblems(problems) };

  const merged = mergeFragments(valid);
  problems.push(...merged.problems);
  problems.push(...checkRules(merged.declaration, { today: options.now.toISOString().slice(0, 10) }));
  const sorted = sortProblems(problems);
  return hasErrors(sorted) ? { problems: sorted } : { declaration: merged.declaration, problems: sorted };
}
