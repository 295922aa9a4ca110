import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Location, Problem } from '../model/problems.ts';

/** Where each value (and each map key, under `pointer + KEY_SUFFIX`) of a parsed file sits in its text. */
export type LocationIndex = Map<string, Location>;
export const KEY_SUFFIX = '#key';

export interface ParsedFragment {
  file: string;
  value: unknown;
  locations: LocationIndex;
  problems: Problem[];
}

/** Keys that could reach Object.prototype if an object were built naively. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_DEPTH = 64;
/** Nodes an alias may expand to in one file: stops "billion laughs" documents. */
const MAX_ALIAS_NODES = 10_000;

/**
 * Parses one fragment into plain data plus a location for every node. Never
 * throws: malformed YAML, forbidden keys, excessive nesting and alias bombs
 * all become located problems.
 */
export function parseFragment(file: string, text: string): ParsedFragment {
  const lineCounter = new LineCounter();
  const locations: LocationIndex = new Map();
  const problems: Problem[] = [];
  const at = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const error = (code: string, message: string, offset: number, path?: string) =>
    problems.push({ severity: 'error', code, message, at: at(offset), ...(path ? { path } : {}) });

  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  } catch (e) {
    // The parser recurses on flow collections; absurd nesting can exhaust the stack.
    error('yaml.syntax', `cannot parse YAML: ${(e as Error).message}`, 0);
    return { file, value: undefined, locations, problems };
  }
  const reported = new Set<string>();
  for (const e of doc.errors) {
    let code = e.code === 'DUPLICATE_KEY' ? 'yaml.duplicate-key' : 'yaml.syntax';
    let message = yamlMessage(e.message);
    if (/call stack/i.test(message)) [code, message] = ['yaml.too-deep', 'nesting too deep to read'];
    else if (e.code === 'MULTIPLE_DOCS') message = 'a fragment holds one YAML document: split this file at the "---" into several files';
    if (reported.has(code + message)) continue; // the parser repeats itself on pathological input
    reported.add(code + message);
    error(code, message, e.pos[0]);
  }
  for (const w of doc.warnings) {
    problems.push({ severity: 'warning', code: 'yaml.warning', message: yamlMessage(w.message), at: at(w.pos[0]) });
  }
  if (problems.some((p) => p.severity === 'error')) return { file, value: undefined, locations, problems };

  let aliasNodes = 0;
  let aliasBombReported = false;
  const build = (node: unknown, pointer: string, path: string, depth: number, viaAlias: boolean): unknown => {
    if (node === null || node === undefined) return null;
    if (depth > MAX_DEPTH) {
      const offset = (node as Node).range?.[0] ?? 0;
      error('yaml.too-deep', `${path || 'document'}: nesting deeper than ${MAX_DEPTH} levels`, offset, path);
      return null;
    }
    if (viaAlias && ++aliasNodes > MAX_ALIAS_NODES) {
      if (!aliasBombReported) {
        aliasBombReported = true;
        const offset = (node as Node).range?.[0] ?? 0;
        error('yaml.alias-bomb', `aliases expand to more than ${MAX_ALIAS_NODES} nodes; refusing to expand (alias bomb?)`, offset, path);
      }
      return null;
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) {
        error('yaml.alias', `unknown alias *${node.source}`, node.range?.[0] ?? 0, path);
        return null;
      }
      locations.set(pointer, at(node.range?.[0] ?? 0));
      return build(target, pointer, path, depth, true);
    }
    const offset = (node as Node).range?.[0] ?? 0;
    if (!viaAlias || !locations.has(pointer)) locations.set(pointer, at(offset));
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) {
        error('yaml.unsafe-integer', `${path}: ${node.source ?? v} is too large to be represented exactly`, offset, path);
      }
      return v;
    }
    if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyOffset = keyNode?.range?.[0] ?? offset;
        if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
          error('yaml.key', `${path || 'document'}: keys must be plain strings`, keyOffset, path);
          continue;
        }
        const key = String(keyNode.value);
        const childPath = path ? `${path}.${key}` : key;
        if (FORBIDDEN_KEYS.has(key)) {
          error('yaml.forbidden-key', `${childPath}: the key "${key}" is not allowed`, keyOffset, childPath);
          continue;
        }
        const childPointer = `${pointer}/${escapePointer(key)}`;
        locations.set(childPointer + KEY_SUFFIX, at(keyOffset));
        obj[key] = build(pair.value, childPointer, childPath, depth + 1, viaAlias);
        if (pair.value === null || pair.value === undefined) locations.set(childPointer, at(keyOffset));
      }
      return obj;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => build(item, `${pointer}/${i}`, `${path}[${i}]`, depth + 1, viaAlias));
    }
    return null;
  };

  let value: unknown;
  try {
    value = build(doc.contents, '', '', 0, false);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    error('yaml.too-deep', `nesting too deep to read`, 0);
    value = undefined;
  }
  return { file, value, locations, problems };
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The `yaml` package appends a code excerpt to messages; roster prints its own locations. */
function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The nearest recorded location for a JSON pointer, walking up to its parents. */
export function locate(locations: LocationIndex, pointer: string, file: string): Location {
  let p = pointer;
  for (;;) {
    const hit = locations.get(p);
    if (hit) return hit;
    if (p === '') return { file, line: 1, col: 1 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
