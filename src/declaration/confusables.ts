/**
 * Letters from other scripts that look like Latin ones. Not the whole Unicode
 * confusables table: the common Cyrillic and Greek lookalikes that phishing
 * addresses use, which is what an admin reviewing a pull request cannot see.
 */
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  ԁ: 'd',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
};

/** The address as it looks: lookalike letters mapped to Latin, accents and compatibility forms folded. */
export function skeleton(email: string): string {
  return [...email.normalize('NFKD')]
    .map((ch) => LOOKALIKES[ch] ?? ch)
    .join('')
    .replace(/[\u0300-\u036f]/g, '');
}

export function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** Latin letters next to Cyrillic or Greek ones in one address: how lookalike addresses are built. */
export function mixesScripts(text: string): boolean {
  return /\p{Script=Latin}/u.test(text) && /[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(text);
}
