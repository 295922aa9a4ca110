import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it("stays a user's first read: at most 15 KB (maintainer material lives in docs/)", () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15_000);
  });

  it('links only to docs that exist', () => {
    for (const [, path] of readme.matchAll(/\]\(((?:docs|bench)\/[^)#]+)/g)) {
      expect(() => readFileSync(new URL(`../${path}`, import.meta.url)), path).not.toThrow();
    }
  });
});
