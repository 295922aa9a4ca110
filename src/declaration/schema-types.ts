// Development only (`npm run schema:gen` and the staleness test): json-schema-to-typescript is a dev dependency.
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { loadSchema } from './schema.ts';

export const GENERATED_TYPES_PATH = fileURLToPath(new URL('../model/schema.generated.ts', import.meta.url));

/** The TypeScript types of a declaration fragment, as generated from the JSON Schema. */
export async function generateSchemaTypes(): Promise<string> {
  return compile(loadSchema() as JSONSchema, 'RosterFragment', {
    bannerComment: '/* Generated from schema/roster.schema.json by `npm run schema:gen`. Do not edit: a test fails when this file is stale. */',
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { singleQuote: true },
  });
}
