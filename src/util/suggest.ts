import { closest, distance } from 'fastest-levenshtein';

/** `; did you mean "x"?` when a known word is close enough to be the intended one, else ''. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const candidates = [...known];
  if (candidates.length === 0) return '';
  const best = closest(word, candidates);
  return distance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean "${best}"?` : '';
}
