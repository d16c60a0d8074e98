/**
 * Reads the block YAML `strataconf iam --format sam` writes, strictly, for tests (the `yaml` package
 * is not a dependency here): mappings, sequences, plain, single- and double-quoted scalars, and
 * `!Sub` (read as `{ 'Fn::Sub': text }`). Anything else throws, so a malformed output fails the test.
 */

type Value = string | Value[] | { [key: string]: Value };

interface Line {
  indent: number;
  text: string;
  at: number;
}

function scalar(text: string, at: number): Value {
  if (text.startsWith('!Sub ')) return { 'Fn::Sub': scalar(text.slice(5), at) as string };
  if (text.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(text)) throw new Error(`line ${at}: bad single-quoted scalar ${text}`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (text.startsWith('"')) return JSON.parse(text) as string;
  // Plain: no indicator first, no ': ' or ' #' inside, not a word YAML 1.1 reads as a boolean or null.
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text) || / #|: /.test(text) || text === '') {
    throw new Error(`line ${at}: "${text}" cannot be a plain scalar`);
  }
  if (/^(?:y|yes|n|no|true|false|on|off|null|~|[-+]?[0-9][0-9._:-]*)$/i.test(text)) {
    throw new Error(`line ${at}: plain "${text}" would not read as a string`);
  }
  return text;
}

/** `key: value` or `key:`; a key is plain and has no space (what iam writes). */
const ENTRY = /^([^'"\s][^\s]*?):(?: (.*))?$/;

function block(lines: Line[], i: number, indent: number): [Value, number] {
  const first = lines[i];
  if (first === undefined || first.indent !== indent)
    throw new Error(`line ${first?.at}: indent ${indent} expected`);
  if (first.text.startsWith('- ')) {
    const items: Value[] = [];
    while (lines[i]?.indent === indent && lines[i]?.text.startsWith('- ')) {
      const line = lines[i] as Line;
      const text = line.text.slice(2);
      if (!ENTRY.test(text)) {
        items.push(scalar(text, line.at));
        i++;
        continue;
      }
      // A mapping item: its entries sit two columns right of the dash.
      const inner: Line = { indent: indent + 2, text, at: line.at };
      const [value, next] = block([...lines.slice(0, i), inner, ...lines.slice(i + 1)], i, indent + 2);
      items.push(value);
      i = next;
    }
    return [items, i];
  }
  const map: Record<string, Value> = {};
  while (lines[i]?.indent === indent && !lines[i]?.text.startsWith('- ')) {
    const line = lines[i] as Line;
    const match = ENTRY.exec(line.text);
    if (match === null) throw new Error(`line ${line.at}: not a mapping entry: ${line.text}`);
    const key = scalar(match[1] as string, line.at) as string;
    if (key in map) throw new Error(`line ${line.at}: duplicate key ${key}`);
    if (match[2] !== undefined) {
      map[key] = scalar(match[2], line.at);
      i++;
    } else {
      const below = lines[i + 1]?.indent ?? -1;
      if (below <= indent) throw new Error(`line ${line.at}: ${key} has no value`);
      const [value, next] = block(lines, i + 1, below);
      map[key] = value;
      i = next;
    }
  }
  return [map, i];
}

/** The document `text` holds; throws on anything outside the subset. */
export function readYamlSubset(text: string): Value {
  const lines = text
    .split('\n')
    .map((raw, n) => ({ raw, at: n + 1 }))
    .filter(({ raw }) => raw.trim() !== '')
    .map(({ raw, at }) => {
      if (raw.includes('\t')) throw new Error(`line ${at}: a tab`);
      const indent = raw.length - raw.trimStart().length;
      return { indent, text: raw.trim(), at };
    });
  const [value, end] = block(lines, 0, lines[0]?.indent ?? 0);
  if (end !== lines.length) throw new Error(`line ${lines[end]?.at}: unexpected indentation`);
  return value;
}
