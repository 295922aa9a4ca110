import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

export const SCHEMA_PATH = fileURLToPath(new URL('../../schema/roster.schema.json', import.meta.url));
export const GENERATED_TYPES_PATH = fileURLToPath(new URL('./schema.generated.ts', import.meta.url));

export function loadSchema(): JSONSchema {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JSONSchema;
}

/** The TypeScript types of a declaration fragment, as generated from the JSON Schema. */
export async function generateSchemaTypes(): Promise<string> {
  return compile(loadSchema(), 'RosterFragment', {
    bannerComment:
      '/* Generated from schema/roster.schema.json by `npm run schema:gen`. Do not edit: a test fails when this file is stale. */',
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { singleQuote: true },
  });
}
