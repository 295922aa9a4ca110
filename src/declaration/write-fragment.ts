import { Document, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import type { Problem } from '../model/problems.ts';

/** The editor modeline every fragment starts with, from the fragment's folder to the schema. */
export const modeline = (schemaPath: string) => ` yaml-language-server: $schema=${schemaPath}`;

/**
 * Appends user entries to a fragment's `users` list, keeping every comment,
 * key order and quoting of the existing text (the `yaml` document model);
 * with no existing text, a new fragment with the modeline and a note on top.
 */
export function appendUsers(
  file: string,
  existing: string | undefined,
  users: object[],
  header: { schema: string; note: string },
): { text: string; problems: Problem[] } {
  if (existing === undefined || existing.trim() === '') {
    const doc = new Document({ users });
    doc.commentBefore = `${modeline(header.schema)}\n ${header.note}`;
    return { text: doc.toString({ lineWidth: 0 }), problems: [] };
  }
  const doc = parseDocument(existing, { keepSourceTokens: false });
  const broken = doc.errors[0];
  if (broken) {
    const [line, col] = broken.linePos?.[0] ? [broken.linePos[0].line, broken.linePos[0].col] : [1, 1];
    return {
      text: existing,
      problems: [
        { severity: 'error', code: 'yaml', message: `${file} cannot be read to add users to: ${broken.message.split('\n')[0]}`, at: { file, line, col } },
      ],
    };
  }
  if (doc.contents !== null && !isMap(doc.contents))
    return {
      text: existing,
      problems: [
        { severity: 'error', code: 'fragment.shape', message: `${file} is not a mapping of lists: cannot add users to it`, at: { file, line: 1, col: 1 } },
      ],
    };
  const list = doc.get('users', true);
  if (list !== undefined && list !== null && !isSeq(list))
    return {
      text: existing,
      problems: [{ severity: 'error', code: 'fragment.shape', message: `${file}: users is not a list`, at: { file, line: 1, col: 1 } }],
    };
  const appended = appendText(existing, doc, users);
  if (appended !== undefined) return { text: appended, problems: [] };
  if (list === undefined || list === null) doc.set('users', doc.createNode(users));
  else for (const u of users) list.add(doc.createNode(u));
  return { text: doc.toString({ lineWidth: 0 }), problems: [] };
}

/**
 * The usual case, byte for byte: `users` is the last key, a block list (or
 * absent), so the new entries go at the end of the text, indented like the
 * entries before them; what the document model would re-space (a comment's
 * alignment) is left as it was. Checked by parsing the result: anything but
 * the old list plus the new entries falls back to the document model.
 */
function appendText(existing: string, doc: Document, users: object[]): string | undefined {
  const contents = doc.contents;
  if (!isMap(contents)) return undefined;
  const last = contents.items[contents.items.length - 1];
  const list = doc.get('users', true);
  const rendered = (indent: string) =>
    new Document(users)
      .toString({ lineWidth: 0 })
      .split('\n')
      .map((l) => (l ? indent + l : l))
      .join('\n');
  const base = existing.endsWith('\n') ? existing : existing + '\n';
  let text: string;
  if (list === undefined) text = `${base}users:\n${rendered('  ')}`;
  else {
    const first = isSeq(list) ? list.items[0] : undefined;
    if (!isSeq(list) || list.flow || !isScalar(last?.key) || last.key.value !== 'users' || !isNode(first) || !first.range) return undefined;
    const start = first.range[0];
    const lineStart = existing.lastIndexOf('\n', start - 1) + 1;
    const dash = existing.slice(lineStart, start).indexOf('-');
    if (dash < 0) return undefined;
    text = base + rendered(' '.repeat(dash));
  }
  const before = (doc.toJS() as { users?: unknown[] } | null)?.users ?? [];
  const after = parseDocument(text);
  const same = after.errors.length === 0 && JSON.stringify((after.toJS() as { users?: unknown[] }).users) === JSON.stringify([...before, ...users]);
  return same ? text : undefined;
}
