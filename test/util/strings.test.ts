import { describe, expect, it } from 'vitest';
import { showInvisible, showInvisibleLines } from '../../src/util/strings.ts';

describe('showInvisible', () => {
  it('writes out every invisible character, line breaks included', () => {
    expect(showInvisible('a\u001b[2Kb\nc\td\u200be\u202ef\u0000')).toBe('a\\u001b[2Kb\\nc\\td\\u200be\\u202ef\\u0000');
    expect(showInvisible('plain text, Zoë 😀')).toBe('plain text, Zoë 😀');
  });

  it('keeps the line breaks of a message of lines, and writes out everything else', () => {
    expect(showInvisibleLines('refusing:\n  user:a\u001b[1A@acme.test\r')).toBe('refusing:\n  user:a\\u001b[1A@acme.test\\r');
  });
});
