/**
 * Where each key and value of a JSON5 text starts, by path: json5's parser gives values without
 * positions. A small scan of text that json5 has already accepted (so it can be lenient about
 * errors): comments, both quote styles, unquoted keys, trailing commas. A duplicate key keeps the
 * last position, as json5 keeps the last value.
 */

/** 1-based line and column; a column counts UTF-16 code units, as editors do. */
export interface Position {
  line: number;
  column: number;
}

/** Positions by path (`JSON.stringify(path)`): `values` where the value starts, `keys` where the key does. */
export interface Positions {
  values: Map<string, Position>;
  keys: Map<string, Position>;
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0' };
const SPACE = /[\s\uFEFF]/;

class Scanner {
  private i = 0;
  private readonly lineStarts = [0];
  readonly out: Positions = { values: new Map(), keys: new Map() };

  constructor(private readonly text: string) {
    for (let k = 0; k < text.length; k++) {
      const c = text[k];
      if (c === '\n' || (c === '\r' && text[k + 1] !== '\n')) this.lineStarts.push(k + 1);
    }
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] as number) + 1 };
  }

  private skip(): void {
    const t = this.text;
    while (this.i < t.length) {
      if (SPACE.test(t[this.i] as string)) this.i++;
      else if (t.startsWith('//', this.i)) {
        while (this.i < t.length && t[this.i] !== '\n' && t[this.i] !== '\r') this.i++;
      } else if (t.startsWith('/*', this.i)) {
        const end = t.indexOf('*/', this.i + 2);
        this.i = end < 0 ? t.length : end + 2;
      } else return;
    }
  }

  /** A quoted string from its opening quote, unescaped. */
  private string(): string {
    const t = this.text;
    const quote = t[this.i++];
    let out = '';
    while (this.i < t.length && t[this.i] !== quote) {
      const c = t[this.i++] as string;
      if (c !== '\\') {
        out += c;
        continue;
      }
      out += this.escape();
    }
    this.i++;
    return out;
  }

  private escape(): string {
    const t = this.text;
    const c = t[this.i++] as string;
    if (c === 'x' || c === 'u') {
      const n = c === 'x' ? 2 : 4;
      const hex = t.slice(this.i, this.i + n);
      this.i += n;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    if (c === '\r') {
      if (t[this.i] === '\n') this.i++;
      return '';
    }
    if (c === '\n' || c === '\u2028' || c === '\u2029') return '';
    return ESCAPES[c] ?? c;
  }

  /** An unquoted key (an identifier, `\uXXXX` escapes allowed). */
  private identifier(): string {
    const t = this.text;
    let out = '';
    while (this.i < t.length && !SPACE.test(t[this.i] as string) && !':/,}'.includes(t[this.i] as string)) {
      const c = t[this.i++] as string;
      out += c === '\\' ? this.escape() : c;
    }
    return out;
  }

  value(path: string[]): void {
    this.skip();
    this.out.values.set(JSON.stringify(path), this.position(this.i));
    const c = this.text[this.i];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"' || c === "'") this.string();
    else
      while (
        this.i < this.text.length &&
        !SPACE.test(this.text[this.i] as string) &&
        !',]}/'.includes(this.text[this.i] as string)
      )
        this.i++;
  }

  private object(path: string[]): void {
    this.i++;
    for (this.skip(); this.i < this.text.length && this.text[this.i] !== '}'; this.skip()) {
      const start = this.i;
      const c = this.text[this.i];
      const key = c === '"' || c === "'" ? this.string() : this.identifier();
      const at = [...path, key];
      this.out.keys.set(JSON.stringify(at), this.position(start));
      this.skip();
      this.i++; // ':'
      this.value(at);
      this.skip();
      if (this.text[this.i] === ',') this.i++;
    }
    this.i++;
  }

  private array(path: string[]): void {
    this.i++;
    let index = 0;
    for (this.skip(); this.i < this.text.length && this.text[this.i] !== ']'; this.skip()) {
      this.value([...path, String(index++)]);
      this.skip();
      if (this.text[this.i] === ',') this.i++;
    }
    this.i++;
  }
}

/** Positions of every key and value in a JSON5 (or JSON) text that json5 parses. */
export function scanPositions(text: string): Positions {
  const scanner = new Scanner(text);
  scanner.value([]);
  return scanner.out;
}

/** The position of the value at `path`, else of its closest parent that has one. */
export function positionOf(positions: Positions, path: readonly string[], key = false): Position {
  if (key) {
    const at = positions.keys.get(JSON.stringify(path));
    if (at) return at;
  }
  for (let n = path.length; n >= 0; n--) {
    const at = positions.values.get(JSON.stringify(path.slice(0, n)));
    if (at) return at;
  }
  return { line: 1, column: 1 };
}
