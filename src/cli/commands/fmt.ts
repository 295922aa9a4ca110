import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { formatFragment } from '../../declaration/format.ts';
import { readFragments } from '../../declaration/files.ts';
import { ExitCode, InvalidInputError, UsageError } from '../../errors.ts';
import type { Problem } from '../../model/problems.ts';
import type { GlobalOptions } from '../options.ts';
import type { Io } from '../io.ts';

/** Formats the given fragments (default: every fragment under --dir); with --check, writes nothing and fails naming the unformatted ones. */
export async function fmt(files: string[], opts: GlobalOptions & { check?: boolean }, io: Io): Promise<number> {
  const texts = files.length ? files.map((f) => readOne(f, io)) : listed(opts, io);
  const problems: Problem[] = [];
  const changed: { file: string; text: string }[] = [];
  for (const { file, text } of texts) {
    const out = formatFragment(file, text);
    problems.push(...out.problems);
    if (!out.problems.length && out.text !== text) changed.push({ file, text: out.text });
  }
  if (problems.length) throw new InvalidInputError(problems);
  if (opts.check) {
    if (!changed.length) return ExitCode.ok;
    io.err(`${changed.length} file(s) not formatted (run roster fmt):\n${changed.map((c) => `  ${c.file}\n`).join('')}`);
    return ExitCode.error;
  }
  for (const { file, text } of changed) {
    const path = resolve(io.cwd, file);
    writeFileSync(`${path}.roster-tmp`, text);
    renameSync(`${path}.roster-tmp`, path);
    io.out(`${file}\n`);
  }
  return ExitCode.ok;
}

function listed(opts: GlobalOptions, io: Io): { file: string; text: string }[] {
  const read = readFragments(opts.dir, io.cwd);
  if (read.problems.some((p) => p.severity === 'error')) throw new InvalidInputError(read.problems);
  return read.fragments;
}

function readOne(file: string, io: Io): { file: string; text: string } {
  const path = resolve(io.cwd, file);
  try {
    return { file: relative(io.cwd, path), text: readFileSync(path, 'utf8') };
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
