import type { Problem } from '../model/problems.ts';
import { codePointLabel, firstForbiddenControl, firstInvisible, showInvisible } from '../util/strings.ts';
import type { Locator } from './locator.ts';
import { escapePointer } from './parse.ts';
import type { RosterFragment } from '../model/schema.generated.ts';

/**
 * The fields that are free text, by section: written for people to read,
 * never compared or looked up. Every other string, and every key, is an
 * identifier (emails, names, grant ids, exclude entries, approvers,
 * selector values...), including any field added later.
 */
const FREE_TEXT: Record<string, ReadonlySet<string>> = {
  organizations: new Set(['displayName']),
  roles: new Set(['description']),
  workspaces: new Set(['description']),
  projects: new Set(['description']),
  packages: new Set(['description']),
  users: new Set(['name', 'department']),
  credits: new Set(['reason']),
};

/** Where a string sits: the section, then keys and list indexes. */
type Path = (string | number)[];

const dotted = (path: Path) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${showInvisible(p)}`)).join('');
const pointer = (path: Path) => path.map((p) => `/${escapePointer(String(p))}`).join('');

/**
 * Checks every string of one schema-valid fragment, as written
 * (before emails are trimmed and lower-cased): identifiers may hold no
 * invisible character (a second `m1@acme.test` with a zero-width space is a
 * different account that looks the same; an exclude entry with one protects
 * nobody), free text no control character but newline and tab (a NUL cannot
 * be stored, an escape sequence rewrites the terminal). Each problem is
 * located at the value. Keys are not looked at: the schema admits only its
 * own property names and, for the maps keyed by names, names (ASCII), which
 * test/declaration/characters.test.ts checks it still does.
 */
export function checkCharacters(fragment: RosterFragment, locations: Locator, problems: Problem[]): void {
  const report = (path: Path, text: string, at: number, free: boolean) => {
    const where = dotted(path);
    const char = codePointLabel(text, at);
    problems.push({
      severity: 'error',
      code: free ? 'text.control' : 'identifier.invisible',
      message: free
        ? `${where} holds ${char}, a control character, at character ${at + 1}: text may hold newlines and tabs but no other control character`
        : `${where} "${showInvisible(text)}" holds ${char}, an invisible or control character: identifiers (emails, names, ids, keys) may not hold control, zero-width or bidirectional characters`,
      at: locations.at(pointer(path)),
      path: where,
    });
  };
  const path: Path = [];
  const walk = (value: unknown, freeText: ReadonlySet<string> | undefined) => {
    if (typeof value === 'string') {
      const free = freeText !== undefined && path.length === 3 && freeText.has(path[2] as string);
      const at = free ? firstForbiddenControl(value) : firstInvisible(value);
      if (at >= 0) report(path, value, at, free);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i], freeText);
        path.pop();
      }
      return;
    }
    for (const key in value) {
      path.push(key);
      walk((value as Record<string, unknown>)[key], freeText);
      path.pop();
    }
  };
  for (const section in fragment) {
    path.push(section);
    walk(fragment[section as keyof RosterFragment], FREE_TEXT[section]);
    path.pop();
  }
}
