import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { GENERATED_TYPES_PATH, generateSchemaTypes } from '../src/declaration/schema-types.ts';

it('the committed TypeScript types match schema/roster.schema.json (run `npm run schema:gen` after editing the schema)', async () => {
  expect(readFileSync(GENERATED_TYPES_PATH, 'utf8')).toBe(await generateSchemaTypes());
});
