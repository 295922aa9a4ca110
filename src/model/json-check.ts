/**
 * Small checks for JSON read back from a file (a saved plan): each says
 * what is wrong with a value, at a path, and its type parameter is the type
 * a value that passes has, so a checked value is narrowed, never cast.
 */
export interface Check<T> {
  /** What is wrong with `value` (named by `path`), or undefined when it is a T. */
  check(value: unknown, path: string): string | undefined;
  /** Never set: carries T for TypeOf. */
  readonly type?: T;
}

export type TypeOf<C> = C extends Check<infer T> ? T : never;

/** Narrows `value` to what the check proves; what is wrong with it, if anything, goes to `wrong`. */
export function passes<T>(c: Check<T>, value: unknown, path: string, wrong: (problem: string) => void): value is T {
  const problem = c.check(value, path);
  if (problem !== undefined) wrong(problem);
  return problem === undefined;
}

const simple = <T>(what: string, test: (v: unknown) => boolean): Check<T> => ({ check: (v, path) => (test(v) ? undefined : `${path} is not ${what}`) });

export const string = simple<string>('a string', (v) => typeof v === 'string');
export const number = simple<number>('a number', (v) => typeof v === 'number' && Number.isFinite(v));
export const boolean = simple<boolean>('true or false', (v) => typeof v === 'boolean');
export const isNull = simple<null>('null', (v) => v === null);

export function literal<const T extends string | number | boolean>(...values: T[]): Check<T> {
  return simple<T>(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) => (values as unknown[]).includes(v));
}

export function nullable<T>(c: Check<T>): Check<T | null> {
  return { check: (v, path) => (v === null ? undefined : c.check(v, path)) };
}

export function oneOf<T extends Check<unknown>[]>(...checks: T): Check<TypeOf<T[number]>> {
  return { check: (v, path) => (checks.some((c) => c.check(v, path) === undefined) ? undefined : `${path} is none of the forms it may take`) };
}

export function arrayOf<T>(c: Check<T>): Check<T[]> {
  return {
    check: (v, path) => {
      if (!Array.isArray(v)) return `${path} is not a list`;
      for (let i = 0; i < v.length; i++) {
        const wrong = c.check(v[i], `${path}[${i}]`);
        if (wrong) return wrong;
      }
      return undefined;
    },
  };
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object whose every value passes `c`, whatever its keys. */
export function recordOf<T>(c: Check<T>): Check<Record<string, T>> {
  return {
    check: (v, path) => {
      if (!isObject(v)) return `${path} is not an object`;
      for (const [k, x] of Object.entries(v)) {
        const wrong = c.check(x, `${path}.${k}`);
        if (wrong) return wrong;
      }
      return undefined;
    },
  };
}

type Shape = Record<string, Check<unknown>>;
type Required<R extends Shape> = { [K in keyof R]: TypeOf<R[K]> };
type Optional<O extends Shape> = { [K in keyof O]?: TypeOf<O[K]> };

/** An object with the required fields, any of the optional ones, and nothing else. */
export function object<R extends Shape, O extends Shape = Record<never, Check<unknown>>>(required: R, optional?: O): Check<Required<R> & Optional<O>> {
  return {
    check: (v, path) => {
      if (!isObject(v)) return `${path} is not an object`;
      for (const k in required) {
        if (!Object.hasOwn(v, k)) return `${path}.${k} is missing`;
        const wrong = required[k]!.check(v[k], `${path}.${k}`);
        if (wrong) return wrong;
      }
      for (const k of Object.keys(v)) {
        if (Object.hasOwn(required, k)) continue;
        const c = optional && Object.hasOwn(optional, k) ? optional[k] : undefined;
        if (!c) return `${path}.${k} is not a field it has`;
        const wrong = c.check(v[k], `${path}.${k}`);
        if (wrong) return wrong;
      }
      return undefined;
    },
  };
}

/** Whether two types say the same: each assignable to the other, with the same fields (optional ones too). For checks kept in step with types. */
export type SameShape<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof NonNullable<A>] extends [keyof NonNullable<B>]
      ? [keyof NonNullable<B>] extends [keyof NonNullable<A>]
        ? true
        : false
      : false
    : false
  : false;

/** Anything: for a part another check reads. */
export const anything: Check<unknown> = { check: () => undefined };
