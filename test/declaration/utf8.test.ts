import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/declaration/files.ts';
import { propertyRuns } from '../helpers/property.ts';

/** What the strict decoder that decodeUtf8 stands in for says. */
function reference(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

const TRICKY = [
  [0xef, 0xbb, 0xbf], // byte order mark
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0xc0, 0xaf], // overlong
  [0xe0, 0x80, 0xaf], // overlong
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf0, 0x9f, 0x98, 0x80], // 😀
  [0xc3, 0xa9], // é
  [0xe2, 0x80, 0xa8], // U+2028
  [0xc3], // truncated
  [0x80], // stray continuation
  [0x0a],
  [0x41],
];

describe('UTF-8 decoding of fragments', () => {
  it('accepts and decodes exactly what a fatal TextDecoder does', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(...TRICKY),
            fc.uint8Array({ maxLength: 4 }).map((b) => [...b]),
          ),
          { maxLength: 12 },
        ),
        (parts) => {
          const bytes = Buffer.from(parts.flat());
          const decoded = decodeUtf8(bytes, 'a.yaml');
          const expected = reference(bytes);
          if (expected === undefined) expect(decoded).toHaveProperty('problem.code', 'files.encoding');
          else expect(decoded).toEqual({ text: expected });
        },
      ),
      { numRuns: propertyRuns(2000) },
    );
  });
});
