import { closest, distance } from 'fastest-levenshtein';

/** The known word close enough to be the one meant, if any. */
export function closestKnown(word: string, known: Iterable<string>): string | undefined {
  const candidates = [...known];
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates);
  return distance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** `; did you mean "x"?` when a known word is close enough to be the intended one, else ''. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const best = closestKnown(word, known);
  return best === undefined ? '' : `; did you mean "${best}"?`;
}
