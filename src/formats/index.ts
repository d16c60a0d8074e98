import { ConfigError } from '../errors.js';
import { parseJsonText } from './json.js';
import { parseYamlText } from './yaml.js';

/**
 * The formats a layer can be written in (JSON, JSON5, YAML), as one table (c12's loader table):
 * which extensions and content types name each, and its parser. Text comes from bytes in one place
 * (strict UTF-8; a byte order mark is skipped), then goes to the format's parser, which requires an
 * object at the top and never echoes the text in a message. Size bounds are the readers' (a file, an
 * S3 object, a store's answer), checked while reading. A new format is one file and one row.
 */

/** A format strataconf reads layers in. */
export type Format = 'json' | 'json5' | 'yaml';

interface FormatRow {
  format: Format;
  /** File extensions (lower case, with the dot) that select it. */
  extensions: readonly string[];
  /** Media types (lower case, without parameters) that select it. */
  contentTypes: readonly string[];
  /** Parses text (byte order mark removed) into a layer; a `PARSE_ERROR` names source, line and column. */
  parse(text: string, source: string): Promise<object>;
}

const FORMATS: readonly FormatRow[] = [
  {
    format: 'json',
    extensions: ['.json'],
    contentTypes: ['application/json'],
    parse: (text, source) => parseJsonText(text, 'json', source),
  },
  {
    format: 'json5',
    extensions: ['.json5'],
    // AppConfig's console stores a freeform profile written as "Text" as text/plain.
    contentTypes: ['application/json5', 'text/plain'],
    parse: (text, source) => parseJsonText(text, 'json5', source),
  },
  {
    format: 'yaml',
    extensions: ['.yaml', '.yml'],
    contentTypes: ['application/yaml', 'application/x-yaml', 'text/yaml'],
    // The yaml package is imported only here, on the first YAML layer (yaml-package.ts).
    parse: parseYamlText,
  },
];

function row(format: Format): FormatRow {
  return FORMATS.find((r) => r.format === format) as FormatRow;
}

/** The lower-cased extension of a path or key (`.json5`), or `''`. */
function extensionOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** The format a file name or object key selects by its extension, or `undefined` for none it names. */
export function formatOfPath(path: string): Format | undefined {
  const ext = extensionOf(path);
  return FORMATS.find((r) => r.extensions.includes(ext))?.format;
}

/** A `Content-Type` header's media type, lower case, without parameters (`''` when absent). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The format a media type names, or `undefined` (AppConfig then refuses the configuration). */
export function formatOfMediaType(type: string): Format | undefined {
  return FORMATS.find((r) => r.contentTypes.includes(type))?.format;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Strict UTF-8; anything else is `PARSE_ERROR` (`${source}: the file is not valid UTF-8`), never
 * mojibake in a host name. `what` names the thing read: `file`, `object`, `configuration`.
 */
export function decodeText(bytes: Uint8Array, source: string, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ConfigError('PARSE_ERROR', `${source}: the ${what} is not valid UTF-8`, {
      source,
      reason: 'not UTF-8',
    });
  }
}

/** Parses a layer's text in `format`; the top level must be an object (`$schema` is dropped). */
export function parseLayerText(text: string, format: Format, source: string): Promise<object> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return row(format).parse(body, source);
}
