import { isUtf8 } from 'node:buffer';
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Problem } from '../model/problems.ts';
import { isFragmentName } from '../util/strings.ts';

/** Larger fragments are refused: split them (a 100,000-user declaration is about 20 MB in all). */
export const MAX_FRAGMENT_BYTES = 25 * 1024 * 1024;

export interface FragmentText {
  /** Path as shown in messages: relative to the working directory. */
  file: string;
  text: string;
}

export interface ReadResult {
  fragments: FragmentText[];
  problems: Problem[];
}

/**
 * Finds and reads every *.yaml / *.yml file under `dir`, in a stable order.
 * Symlinks must stay inside the folder; files must be UTF-8 and not huge.
 */
export function readFragments(folder: string, cwd = process.cwd()): ReadResult {
  const dir = resolve(cwd, folder);
  const problems: Problem[] = [];
  const fragments: FragmentText[] = [];
  const show = (path: string) => relative(cwd, path) || '.';
  let root: string;
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    root = realpathSync(dir);
  } catch {
    problems.push({
      severity: 'error',
      code: 'files.no-dir',
      message: `declaration folder ${show(dir)} does not exist or is not a folder`,
      at: { file: show(dir), line: 1, col: 1 },
    });
    return { fragments, problems };
  }

  const walk = (folder: string) => {
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const at = { file: show(path), line: 1, col: 1 };
      let target = path;
      if (entry.isSymbolicLink()) {
        try {
          target = realpathSync(path);
        } catch {
          problems.push({ severity: 'error', code: 'files.broken-link', message: `${show(path)} is a broken symbolic link`, at });
          continue;
        }
        if (target !== root && !target.startsWith(root + sep)) {
          problems.push({
            severity: 'error',
            code: 'files.outside',
            message: `${show(path)} links outside the declaration folder (to ${target}); copy the file in instead`,
            at,
          });
          continue;
        }
      }
      const stat = lstatSync(target);
      if (stat.isDirectory()) {
        if (!entry.isSymbolicLink()) walk(path);
        continue;
      }
      if (!stat.isFile() || !isFragmentName(entry.name)) continue;
      if (stat.size > MAX_FRAGMENT_BYTES) {
        problems.push({
          severity: 'error',
          code: 'files.too-large',
          message: `${show(path)} is ${stat.size} bytes; fragments may be at most ${MAX_FRAGMENT_BYTES} bytes (${MAX_FRAGMENT_BYTES / 1048576} MB): split it into several files`,
          at,
        });
        continue;
      }
      const decoded = decodeUtf8(readFileSync(target), show(path));
      if ('problem' in decoded) problems.push(decoded.problem);
      else fragments.push({ file: show(path), text: decoded.text });
    }
  };
  walk(root);
  return { fragments, problems };
}

/** Strict UTF-8 (a BOM is dropped); a bad byte is reported at its line and column. */
export function decodeUtf8(bytes: Buffer, file: string): { text: string } | { problem: Problem } {
  // isUtf8 validates strictly (no overlong forms, no surrogates) as the fatal TextDecoder does, several times faster.
  if (isUtf8(bytes)) {
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { text: bytes.toString('utf8', bom ? 3 : 0) };
  }
  let line = 1;
  let lineStart = 0;
  const bad = firstInvalidUtf8(bytes);
  for (let i = 0; i < bad; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = Buffer.from(bytes.subarray(lineStart, bad)).toString('utf8').length + 1;
  return {
    problem: {
      severity: 'error',
      code: 'files.encoding',
      message: `${file} is not valid UTF-8 (byte 0x${bytes[bad]?.toString(16).padStart(2, '0')} at offset ${bad}); save it as UTF-8`,
      at: { file, line, col },
    },
  };
}

function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    const slice = bytes.subarray(i, i + need + 1);
    if (need > 0 && new TextDecoder('utf-8', { fatal: false }).decode(slice).includes('\ufffd')) return i;
    i += need + 1;
  }
  return bytes.length;
}
