/**
 * Statement IDs: IAM allows only letters and digits in a `Sid`, so a layer's location becomes its
 * words in PascalCase (`s3://my-config/orders/prod.json5` -> `S3MyConfigOrdersProdJson5`), and a
 * second statement that would get the same one is numbered (`...2`).
 */

/** Long enough to tell layers apart by eye; a 1 KiB S3 key would otherwise make a 1 KiB Sid. */
const MAX_LENGTH = 64;

/** `['my-config', 'orders/prod.json5']` -> `MyConfigOrdersProdJson5`: ASCII letters and digits only. */
export function pascalWords(texts: readonly string[]): string {
  return texts
    .flatMap((text) => text.split(/[^A-Za-z0-9]+/))
    .filter((word) => word !== '')
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');
}

/** The Sid of a statement: the store's word, then its location's words. */
export function sidOf(store: string, words: readonly string[]): string {
  return `${store}${pascalWords(words)}`.slice(0, MAX_LENGTH);
}

/** Gives each wanted Sid a unique one, in order: the first keeps it, the next get 2, 3... */
export function uniqueSids(wanted: readonly string[]): string[] {
  const taken = new Set<string>();
  return wanted.map((sid) => {
    let unique = sid;
    for (let n = 2; taken.has(unique); n++) unique = `${sid.slice(0, MAX_LENGTH - String(n).length)}${n}`;
    taken.add(unique);
    return unique;
  });
}
