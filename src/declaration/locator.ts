import type { Location } from '../model/problems.ts';
import type { FieldLocator } from '../model/field-location.ts';
import type { FastFragment, TopLevelEntry } from './fast-parse.ts';
import type { LocatorStats } from '../model/declaration.ts';
import { KEY_SUFFIX, escapePointer, locate, parseFragment, type LocationIndex } from './parse.ts';

/** Where things are in one fragment file: what every problem and plan step points at. */
export interface Locator {
  /** The node at a JSON pointer (a map key with KEY_SUFFIX), or its nearest located parent. */
  at(pointer: string): Location;
  /** An item of a top-level list, e.g. the third user: item('users', 2). */
  item(key: string, index: number): EntityLocation;
}

/**
 * Where an entity (a list item) was written, and the way to where each of
 * its fields was: rules point at `role:` rather than at the whole user. The
 * way back is a private field, invisible to JSON, Object.keys and deep
 * equality, so an entity's `at` still reads as { file, line, col }; it costs
 * nothing per entity beyond the location itself.
 */
export class EntityLocation implements Location, FieldLocator {
  readonly #locator: Locator;
  readonly #list: string;
  readonly #index: number;

  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    locator: Locator,
    list: string,
    index: number,
  ) {
    this.#locator = locator;
    this.#list = list;
    this.#index = index;
  }

  /** The entity's place in its list within its file (`users[3]`). */
  get index(): number {
    return this.#index;
  }

  /** A field of the entity (`role`, or a path: `workspaces/analytics`, `projects/2`); asKey: at the key rather than the value. */
  field(field: string, asKey = false): Location {
    return this.#locator.at(`/${escapePointer(this.#list)}/${this.#index}/${field.split('/').map(escapePointer).join('/')}${asKey ? KEY_SUFFIX : ''}`);
  }
}

/** Over the precise path's index of every node. */
export function preciseLocator(file: string, index: LocationIndex): Locator {
  const locator: Locator = {
    at: (pointer) => locate(index, pointer, file),
    item: (key, i) => {
      const { line, col } = locate(index, `/${escapePointer(key)}/${i}`, file);
      return new EntityLocation(file, line, col, locator, key, i);
    },
  };
  return locator;
}

/**
 * Region lookups before one precise parse of the whole file is cheaper: a
 * region costs about as much as a few entities, the whole file all of them.
 */
const regionBudget = (entities: number) => Math.max(64, entities >> 2);

/**
 * Over the fast path's entity positions. Top-level keys and list items are
 * known; anything deeper (a user's `role`, one of their workspaces) is found
 * by giving the lines of just that entity to the precise parser, which sees
 * them exactly as it would inside the whole file. Used only for problems
 * and warnings, so a valid declaration pays for none of it.
 */
export function fastLocator(fragment: FastFragment, stats: LocatorStats): Locator {
  const { file, text, entries } = fragment;
  const byKey = new Map(entries.map((e, i) => [e.key, { entry: e, next: entries[i + 1] }]));
  const regions = new Map<string, { index: LocationIndex; lineShift: number } | null>();
  let whole: LocationIndex | undefined;
  const wholeFile = (pointer: string) => {
    if (!whole) {
      stats.files++;
      whole = parseFragment(file, text).locations;
    }
    return locate(whole, pointer, file);
  };
  const budget = regionBudget(entries.reduce((n, e) => n + (e.items?.offsets.length ?? 1), 0));
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const itemAt = (e: TopLevelEntry, i: number): EntityLocation => new EntityLocation(file, e.items!.lines[i]!, e.items!.cols[i]!, locator, e.key, i);

  /** The lines of one list item (or one top-level key), when they stand on their own. */
  const regionOf = (key: string, item: number | undefined) => {
    const id = item === undefined ? key : `${key}\u0000${item}`;
    if (regions.has(id)) return regions.get(id);
    let region: { index: LocationIndex; lineShift: number } | null = null;
    if (regions.size < budget) {
      const { entry, next } = byKey.get(key)!;
      const startOf = (offset: number, prefix: RegExp) => {
        const start = lineStart(offset);
        return prefix.test(text.slice(start, offset)) ? start : -1;
      };
      const end = next ? startOf(next.keyAt.offset, /^ *$/) : text.length;
      const bounds =
        item === undefined
          ? { start: startOf(entry.keyAt.offset, /^ *$/), end, line: entry.keyAt.line }
          : {
              start: startOf(entry.items!.offsets[item]!, /^ *- +$/),
              end: item + 1 < entry.items!.offsets.length ? startOf(entry.items!.offsets[item + 1]!, /^ *- +$/) : end,
              line: entry.items!.lines[item]!,
            };
      if (bounds.start >= 0 && bounds.end >= 0) {
        stats.regions++;
        const parsed = parseFragment(file, text.slice(bounds.start, bounds.end));
        if (parsed.problems.length === 0) region = { index: parsed.locations, lineShift: bounds.line - 1 };
      }
    }
    regions.set(id, region);
    return region;
  };

  const locator: Locator = {
    item: (key, index) => {
      const e = byKey.get(key)?.entry;
      if (e?.items && index < e.items.lines.length) return itemAt(e, index);
      const { line, col } = wholeFile(`/${escapePointer(key)}/${index}`);
      return new EntityLocation(file, line, col, locator, key, index);
    },
    at: (pointer) => {
      const m = /^\/([^/#]*)(?:\/(\d+))?(\/.*|#key)?$/.exec(pointer);
      const key = m?.[1]?.replace(/~1/g, '/').replace(/~0/g, '~');
      const e = key === undefined ? undefined : byKey.get(key)?.entry;
      if (!m || !e || (m[2] !== undefined && (!e.items || Number(m[2]) >= e.items.lines.length))) return wholeFile(pointer);
      if (m[2] === undefined && m[3] === KEY_SUFFIX) return { file, line: e.keyAt.line, col: e.keyAt.col };
      const item = m[2] === undefined ? undefined : Number(m[2]);
      if (item !== undefined && m[3] === undefined) return itemAt(e, item);
      const region = regionOf(key!, item);
      if (!region) return wholeFile(pointer);
      const inRegion = item === undefined ? pointer : `/0${m[3]}`;
      const hit = locate(region.index, inRegion, file);
      return { file, line: hit.line + region.lineShift, col: hit.col };
    },
  };
  return locator;
}
