import { ConfigError } from '../errors.js';

/**
 * Parsing layer text. `JSON.parse` runs first (it is ~40x faster than json5 and most layers are plain
 * JSON); json5 is imported only when a layer needs it, so importing strataconf does not pay for it.
 * Error messages carry line and column but never the text itself: the native messages quote the
 * input, which may be a secret.
 */

type Json5 = { parse(text: string): unknown };
let json5: Promise<Json5> | undefined;

function loadJson5(): Promise<Json5> {
  json5 ??= import('json5').then((mod) => ((mod as { default?: Json5 }).default ?? mod) as Json5);
  return json5;
}

interface Position {
  line: number;
  column: number;
  reason: string;
}

/** Where json5 says the text is broken; the reason keeps json5's words minus the quoted character. */
function json5Position(err: unknown): Position | undefined {
  const e = err as { lineNumber?: unknown; columnNumber?: unknown; message?: unknown };
  if (typeof e.lineNumber !== 'number' || typeof e.columnNumber !== 'number') return undefined;
  const reason = String(e.message)
    .replace(/^JSON5: /, '')
    .replace(/ '.*' at \d+:\d+$/s, '')
    .replace(/ at \d+:\d+$/, '');
  return { line: e.lineNumber, column: e.columnNumber, reason };
}

/** Line and column of a character offset, both 1-based. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** JSON.parse's offset, from its message ("... at position 42"); the message itself is never shown. */
function jsonPosition(err: unknown, text: string): Position {
  const match = /position (\d+)/.exec(String((err as Error)?.message));
  const offset = match ? Number(match[1]) : text.length;
  return { ...positionOf(text, offset), reason: match ? 'invalid JSON' : 'unexpected end of input' };
}

function parseError(source: string, format: string, pos: Position): ConfigError {
  return new ConfigError(
    'PARSE_ERROR',
    `${source}: invalid ${format} at line ${pos.line}, column ${pos.column} (${pos.reason})`,
    { source, line: pos.line, column: pos.column, reason: pos.reason },
  );
}

/**
 * Parses a layer's text (byte order mark already removed) as `json` (strict) or `json5`, and
 * requires an object at the top.
 */
export async function parseJsonText(body: string, format: 'json' | 'json5', source: string): Promise<object> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (jsonErr) {
    if (jsonErr instanceof RangeError) {
      throw parseError(source, format.toUpperCase(), { line: 1, column: 1, reason: 'nested too deeply' });
    }
    if (format === 'json') {
      // json5 gives better positions; use it for the message when it also rejects the text.
      const pos = await loadJson5().then(
        (j) => {
          try {
            j.parse(body);
            return undefined;
          } catch (e) {
            return json5Position(e);
          }
        },
        () => undefined,
      );
      throw parseError(source, 'JSON', pos ?? jsonPosition(jsonErr, body));
    }
    const j = await loadJson5();
    try {
      value = j.parse(body);
    } catch (err) {
      if (err instanceof RangeError)
        throw parseError(source, 'JSON5', { line: 1, column: 1, reason: 'nested too deeply' });
      throw parseError(source, 'JSON5', json5Position(err) ?? { line: 1, column: 1, reason: 'unreadable' });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('PARSE_ERROR', `${source}: the top level must be an object`, {
      source,
      line: 1,
      column: 1,
      reason: 'not an object',
    });
  }
  return withoutSchemaKey(value);
}

/** A top-level `$schema` points an editor at a JSON Schema: it is not configuration, so it is dropped. */
function withoutSchemaKey(layer: object): object {
  if (!Object.hasOwn(layer, '$schema')) return layer;
  const { $schema: _editorsOnly, ...rest } = layer as Record<string, unknown>;
  return rest;
}

/** Parses a JSON5 value that is not a whole layer (an env variable's array or object). */
export async function parseJson5Value(text: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    return (await loadJson5()).parse(text);
  }
}
