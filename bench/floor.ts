/**
 * The raw parse floor: the same files parsed by the fastest YAML parser in
 * the dependencies (js-yaml, YAML 1.2 core schema), by JSON.parse of the same
 * data, or (for comparison, slow) by the `yaml` package that the precise
 * path uses. One parser per process, so peak memory is its own.
 *
 *   node bin/dev.js bench/floor.ts --dir /tmp/roster-bench/10000/split --parser js-yaml
 */
import { parseArgs } from 'node:util';
import jsYaml from 'js-yaml';
import { parse as yamlParse } from 'yaml';
import { readFragments } from '../src/declaration/files.ts';
import { peakRssMb, timed } from './stopwatch.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' }, parser: { type: 'string' } } });
const texts = readFragments('users', values.dir).fragments.map((f) => f.text);
const parser = values.parser ?? 'js-yaml';

let parse: () => unknown[];
if (parser === 'js-yaml') parse = () => texts.map((t) => jsYaml.load(t, { schema: jsYaml.CORE_SCHEMA }));
else if (parser === 'yaml') parse = () => texts.map((t) => yamlParse(t));
else if (parser === 'json') {
  const json = texts.map((t) => JSON.stringify(jsYaml.load(t, { schema: jsYaml.CORE_SCHEMA })));
  parse = () => json.map((j) => JSON.parse(j) as unknown);
} else throw new Error(`unknown parser ${parser}`);

const { lap } = await timed(parse);
process.stdout.write(JSON.stringify({ parser, ...lap, peakRssMb: peakRssMb() }) + '\n');
