// Regenerates src/model/schema.generated.ts from schema/roster.schema.json.
// `test/schema-types.test.ts` fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { generateSchemaTypes, GENERATED_TYPES_PATH } from '../src/declaration/schema-types.ts';

writeFileSync(GENERATED_TYPES_PATH, await generateSchemaTypes());
console.log(`wrote ${GENERATED_TYPES_PATH}`);
