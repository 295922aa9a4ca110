import { isMap, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair } from 'yaml';
import type { Problem } from '../model/problems.ts';
import { canonicalJson } from '../util/canonical.ts';
import { loadSchema } from './schema.ts';

/**
 * `roster fmt`: one canonical text per fragment, comments kept (the `yaml`
 * document model). Keys in the order the schema lists them (email, name,
 * role, ... for a user), two-space indentation, strings plain unless they
 * need quotes (then double quotes), no line folding. Flow or block style and
 * blank lines are the author's choice and stay. Pure: text in, text out.
 */

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  definitions?: Record<string, SchemaNode>;
}

let root: SchemaNode | undefined;
const deref = (node: SchemaNode | undefined): SchemaNode | undefined => {
  let n = node;
  while (n?.$ref) n = root!.definitions?.[n.$ref.replace('#/definitions/', '')];
  return n;
};

export function formatFragment(file: string, text: string): { text: string; problems: Problem[] } {
  root ??= loadSchema() as SchemaNode;
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    return {
      text,
      problems: [
        {
          severity: 'error',
          code: 'yaml',
          message: `${file} is not valid YAML, not formatted: ${error.message.split('\n')[0]}`,
          at: { file, line: pos?.line ?? 1, col: pos?.col ?? 1 },
        },
      ],
    };
  }
  if (doc.contents === null) return { text, problems: [] };
  const before = canonicalJson(doc.toJS());
  canonical(doc.contents as Node, deref(root));
  const out = doc.toString({ indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: true });
  // Formatting never changes what a file says; should the serialiser ever disagree, the file is left alone and reported.
  if (canonicalJson(parseDocument(out).toJS()) !== before)
    return {
      text,
      problems: [
        {
          severity: 'error',
          code: 'fmt.changes-value',
          message: `${file} cannot be formatted without changing its content; please report this`,
          at: { file, line: 1, col: 1 },
        },
      ],
    };
  return { text: out, problems: [] };
}

function canonical(node: Node | null | undefined, schema: SchemaNode | undefined): void {
  if (isMap(node)) {
    const order = schema?.properties ? Object.keys(schema.properties) : undefined;
    if (order) {
      const rank = (p: Pair) => {
        const i = order.indexOf(String(isScalar(p.key) ? p.key.value : p.key));
        return i < 0 ? order.length : i;
      };
      // A stable sort: keys the schema does not know stay in their written order, after the known ones.
      node.items.sort((a, b) => rank(a) - rank(b));
    }
    for (const pair of node.items) {
      if (isScalar(pair.key)) plain(pair.key);
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const child = schema?.properties?.[key] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      canonical(pair.value as Node, deref(child));
    }
  } else if (isSeq(node)) {
    for (const item of node.items) canonical(item as Node, deref(schema?.items));
  } else if (isScalar(node)) plain(node);
}

/** Quoted strings become plain; the `yaml` package quotes again (double) where plain would read differently. */
function plain(s: Scalar): void {
  if (typeof s.value === 'string' && (s.type === Scalar.QUOTE_DOUBLE || s.type === Scalar.QUOTE_SINGLE)) s.type = Scalar.PLAIN;
}
