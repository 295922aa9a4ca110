import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as AjvModule from 'ajv';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type { Problem } from '../model/problems.ts';
import { closestKnown, didYouMean } from '../util/suggest.ts';
import { KEY_SUFFIX, escapePointer, locate, type ParsedFragment } from './parse.ts';

export const SCHEMA_PATH = fileURLToPath(new URL('../../schema/roster.schema.json', import.meta.url));

/**
 * The validator the build compiled from the schema (scripts/build.mjs writes
 * it beside dist/declaration/schema.js; there is none beside the sources).
 */
export const PRECOMPILED_PATH = fileURLToPath(new URL('./schema-validator.cjs', import.meta.url));

// ajv is CommonJS, loaded with require only when a validator has to be
// compiled: loading and compiling it is most of a `roster validate` start-up.
const load = createRequire(import.meta.url);

/** The declaration's JSON Schema, as committed. */
export function loadSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}

/** What ties a compiled validator to the schema text it was compiled from. */
export function schemaHash(schemaText: string): string {
  return createHash('sha256').update(schemaText).digest('hex');
}

/** roster's ajv: the options and formats both the run-time compile and the build's use. */
function newAjv(extra: Options = {}): Ajv {
  const { Ajv: AjvClass } = load('ajv') as typeof AjvModule;
  const addFormats = load('ajv-formats') as (ajv: Ajv) => Ajv;
  const ajv = new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true, ...extra });
  addFormats(ajv);
  return ajv;
}

/**
 * The source of the build's validator module (CommonJS, requiring only
 * ajv's and ajv-formats's small run-time helpers), stamped with the hash of
 * the schema text it was compiled from.
 */
export function validatorModuleSource(schemaText: string): string {
  const ajv = newAjv({ code: { source: true } });
  const standaloneCode = load('ajv/dist/standalone') as (ajv: Ajv, validate: ValidateFunction) => string;
  const code = standaloneCode(ajv, ajv.compile(JSON.parse(schemaText) as Record<string, unknown>));
  return `// Made by scripts/build.mjs from schema/roster.schema.json; do not edit.\n${code}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash(schemaText))};\n`;
}

/** The schema compiled here, at run time: what a run does without a current build. */
export function compileValidator(schema: Record<string, unknown>): ValidateFunction {
  return newAjv().compile(schema);
}

/**
 * The build's validator when it was compiled from this schema text; undefined
 * when there is none (running the sources) or it is stale (the schema edited
 * after the build), and the schema is then compiled at run time.
 */
export function precompiledValidator(schemaText: string, path = PRECOMPILED_PATH): ValidateFunction | undefined {
  if (!existsSync(path)) return undefined;
  const built = load(path) as { default: ValidateFunction; schemaHash?: string };
  return built.schemaHash === schemaHash(schemaText) ? built.default : undefined;
}

let compiled: ValidateFunction | undefined;
let schemaRoot: SchemaNode | undefined;

/** Once per process: the build's validator if it is current, else compiled here (the expensive part of ajv). */
function validator(): ValidateFunction {
  if (!compiled) {
    const text = readFileSync(SCHEMA_PATH, 'utf8');
    schemaRoot = JSON.parse(text) as SchemaNode;
    compiled = precompiledValidator(text) ?? compileValidator(schemaRoot as Record<string, unknown>);
  }
  return compiled;
}

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  description?: string;
  definitions?: Record<string, SchemaNode>;
}

const SECRET_KEY = /pass(word|wd|phrase)?$|^pwd$|secret|token|api[_-]?key|private[_-]?key|credential/i;

/**
 * Whether a value passes the JSON Schema: the fast path's test. Any problem
 * (secret-looking keys included: no object of the schema allows them) sends
 * the file to the precise path, which then reports it with its location.
 */
export function passesSchema(value: unknown): boolean {
  return value !== null && value !== undefined && validator()(value);
}

/** Checks one parsed fragment against the JSON Schema; every problem is located. */
export function checkSchema(fragment: ParsedFragment): Problem[] {
  const { file, value, locations } = fragment;
  const problems: Problem[] = [];
  const secretPointers = new Set<string>();
  findSecrets(value, '', '', (pointer, path, key) => {
    secretPointers.add(pointer);
    problems.push({
      severity: 'error',
      code: 'secret',
      message: `${path}: "${key}" looks like a secret; passwords and tokens must never be in the declaration. New users are created invited and the platform sends them an invitation (set resendInvitation to send another); credentials for roster itself come from ROSTER_* environment variables`,
      at: locate(locations, pointer + KEY_SUFFIX, file),
      path,
    });
  });
  if (value === null || value === undefined) return problems; // an empty file is an empty fragment
  const validate = validator();
  if (validate(value)) return problems;

  const errors = collapse(validate.errors ?? []);
  // A misspelt key also leaves the key it meant "missing": one typo, one message (the did-you-mean).
  const misspelt = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => `${e.instancePath}|${closestKnown(String(e.params.additionalProperty), allowedKeys(e.instancePath)) ?? ''}`),
  );
  const seen = new Set<string>();
  for (const err of errors) {
    if (err.keyword === 'required' && misspelt.has(`${err.instancePath}|${String(err.params.missingProperty)}`)) continue;
    const described = describe(err);
    if (!described) continue;
    if (secretPointers.has(described.pointer)) continue;
    const key = `${described.pointer}|${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const path = pointerToPath(described.pointer);
    // Map keys are located at the key, not at the map.
    problems.push({
      severity: 'error',
      code: `schema.${described.code}`,
      message: `${path || 'document'}: ${described.message}`,
      at: locate(locations, described.locateAt ?? described.pointer, file),
      path,
    });
  }
  return problems;
}

/** A union (`oneOf`) reports one error per branch; keep only one readable message for it. */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const unions = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  return errors.filter((e) => e.keyword === 'oneOf' || ![...unions].some((u) => e.instancePath === u || e.instancePath.startsWith(u + '/')));
}

interface Described {
  code: string;
  message: string;
  pointer: string;
  locateAt?: string;
}

function describe(err: ErrorObject): Described | undefined {
  const pointer = err.instancePath;
  const p = err.params as Record<string, unknown>;
  if (err.propertyName !== undefined && err.keyword !== 'propertyNames') {
    // A bad map key (a workspace or permission name): point at the key and name it.
    const key = `${pointer}/${escapePointer(err.propertyName)}`;
    const what = err.keyword === 'pattern' ? patternMessage(err.schemaPath) : (err.message ?? 'is invalid');
    return { code: `key-${err.keyword}`, message: `key "${err.propertyName}" ${what}`, pointer, locateAt: key + KEY_SUFFIX };
  }
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = allowedKeys(pointer);
      const hint = didYouMean(key, allowed) || (allowed.length ? ` (allowed: ${allowed.join(', ')})` : '');
      const child = `${pointer}/${escapePointer(key)}`;
      return { code: 'unknown-key', message: `unknown key "${key}"${hint}`, pointer: child, locateAt: child + KEY_SUFFIX };
    }
    case 'required':
      return { code: 'required', message: `missing required key "${String(p.missingProperty)}"`, pointer };
    case 'type':
      return { code: 'type', message: `must be ${article(String(p.type))}`, pointer };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return { code: 'enum', message: `must be one of: ${allowed.join(', ')}`, pointer };
    }
    case 'const':
      return { code: 'const', message: `must be ${JSON.stringify(p.allowedValue)}`, pointer };
    case 'pattern':
      return { code: 'pattern', message: patternMessage(err.schemaPath), pointer };
    case 'format':
      return {
        code: 'format',
        message: p.format === 'date' ? 'is not a valid date (YYYY-MM-DD, a day that exists)' : `must be a valid ${String(p.format)}`,
        pointer,
      };
    case 'minimum':
    case 'maximum':
      return { code: 'range', message: `must be ${err.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}`, pointer };
    case 'minLength':
    case 'maxLength':
      return { code: 'length', message: `must be ${err.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} characters long`, pointer };
    case 'minItems':
      return { code: 'length', message: `must have at least ${String(p.limit)} item(s)`, pointer };
    case 'uniqueItems':
      return { code: 'unique', message: `items ${String(p.j)} and ${String(p.i)} are the same`, pointer: `${pointer}/${String(p.i)}` };
    case 'not':
      return { code: 'not', message: 'must not be 0', pointer };
    case 'oneOf':
      return pointer.endsWith('/to')
        ? {
            code: 'credit-target',
            message: 'must be an email, a list of emails, or one of {role: NAME}, {workspace: NAME}, {organization: NAME}, {department: NAME}, {all: true}',
            pointer,
          }
        : { code: 'one-of', message: 'does not match any allowed form', pointer };
    case 'propertyNames':
      return undefined; // reported by the nested `pattern` error on the key itself
    default:
      return { code: err.keyword, message: err.message ?? 'is invalid', pointer };
  }
}

function article(type: string): string {
  const names = type
    .split(',')
    .map((t) => (t === 'integer' ? 'a whole number' : t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : t === 'null' ? 'null' : `a ${t}`));
  return names.join(' or ');
}

function patternMessage(schemaPath: string): string {
  if (schemaPath.includes('/Email/')) return 'is not a valid email address';
  if (schemaPath.includes('/Name/'))
    return "is not a valid name: use lower case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters";
  if (schemaPath.includes('/Credit/properties/id'))
    return "is not a valid grant id: lower case letters, digits and '.', '_', ':', '@', '-', at most 128 characters";
  if (schemaPath.includes('approvers')) return 'is not a valid GitHub login';
  return 'has an invalid format';
}

/**
 * The keys allowed at an instance location, found by walking the schema along
 * the instance path (ajv's own schema paths are relative to inlined $refs).
 */
function allowedKeys(instancePointer: string): string[] {
  validator();
  const root = schemaRoot!;
  const deref = (node: SchemaNode | undefined): SchemaNode | undefined => {
    let n = node;
    while (n?.$ref) n = root.definitions?.[n.$ref.replace('#/definitions/', '')];
    return n;
  };
  let node = deref(root);
  for (const raw of instancePointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const n = node as (SchemaNode & { items?: SchemaNode; additionalProperties?: SchemaNode | boolean }) | undefined;
    node = deref(
      n?.properties?.[seg] ?? (/^\d+$/.test(seg) ? n?.items : undefined) ?? (typeof n?.additionalProperties === 'object' ? n.additionalProperties : undefined),
    );
  }
  return node?.properties ? Object.keys(node.properties) : [];
}

function findSecrets(value: unknown, pointer: string, path: string, report: (pointer: string, path: string, key: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => findSecrets(v, `${pointer}/${i}`, `${path}[${i}]`, report));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const childPointer = `${pointer}/${escapePointer(key)}`;
      const childPath = path ? `${path}.${key}` : key;
      // Keys of these maps are names (a `tokens` resource, a `compass` workspace), not credentials.
      if (SECRET_KEY.test(key) && !/\/(permissions|workspaces)$/.test(pointer)) report(childPointer, childPath, key);
      else findSecrets(v, childPointer, childPath, report);
    }
  }
}

export function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  }
  return out;
}
