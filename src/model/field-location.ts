import type { Location } from './problems.ts';

/**
 * The way to where each field of a declared entity was written: rules point
 * at `role:` rather than at the whole user, plan steps at a grant's
 * `amount:`. The loader supplies it (declaration/locator.ts): an entity's
 * `at` that can find its fields, and for the settings a hidden property.
 */
export interface FieldLocator {
  /** A field, or a path to one (`workspaces/analytics`, `projects/2`); asKey: at the key rather than the value. */
  field(field: string, asKey?: boolean): Location | undefined;
}

/** Settings are one object per declaration, not a list item: a hidden property says where they were written. */
export const SETTINGS_FIELDS = Symbol('settings source');

const findsFields = (at: unknown): at is FieldLocator => typeof (at as Partial<FieldLocator> | null | undefined)?.field === 'function';

/**
 * Where a field of an entity (or of the settings) was written. Found only
 * when asked; on the fast path that costs a small parse of the entity's lines.
 */
export function fieldAt(entity: object, field: string, asKey = false): Location | undefined {
  const at = (entity as { at?: unknown }).at;
  if (findsFields(at)) return at.field(field, asKey);
  return (entity as { [SETTINGS_FIELDS]?: FieldLocator })[SETTINGS_FIELDS]?.field(field, asKey);
}
