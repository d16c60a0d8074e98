import type { Document, Node, YAMLError } from 'yaml';
import { ConfigError } from '../errors.js';
import { checkAliases } from './yaml-aliases.js';
import { tooDeepAt } from './yaml-depth.js';
import { loadYamlPackage, type YamlApi } from './yaml-package.js';

/**
 * YAML 1.2 layers with the core schema: `no`, `on` and `2001-12-14` stay strings, `017` is
 * seventeen. One document, a mapping at the top, keys read as written (strings), no duplicate keys,
 * no tag outside the core schema (`!Ref`, `!!binary`, `!!python/...`), no merge keys, anchors and
 * aliases bounded. Messages carry line and column but never the text: the yaml package's own
 * messages quote the source, which may be a secret, so each of its error codes has its own words here.
 */

/** Alias expansions a layer may hold (the yaml package's measure); a "billion laughs" fails fast. */
export const MAX_ALIAS_COUNT = 100;

/** The options every YAML layer is parsed with (also by the CLI, for positions). */
export const YAML_OPTIONS = {
  version: '1.2',
  // Explicit, so a `%YAML 1.1` directive does not bring back 1.1's booleans and timestamps.
  schema: 'core',
  merge: false,
  resolveKnownTags: false,
  stringKeys: true,
  uniqueKeys: true,
  strict: true,
  // 'error' keeps the multiple-documents check (it is skipped below it) and prints nothing.
  logLevel: 'error',
} as const;

const REASONS: Record<string, string> = {
  ALIAS_PROPS: 'an alias with a tag or an anchor',
  BAD_ALIAS: 'an empty or ambiguous anchor or alias name',
  BAD_COLLECTION_TYPE: 'a tag that does not fit its collection',
  BAD_DIRECTIVE: 'an unknown directive',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
  BAD_INDENT: 'inconsistent indentation',
  BAD_PROP_ORDER: 'an anchor or a tag in the wrong place',
  BAD_SCALAR_START: 'a plain value starting with a reserved character (quote it)',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection where a key was expected',
  BLOCK_IN_FLOW: 'a block collection inside a flow collection',
  DUPLICATE_KEY: 'duplicate key',
  KEY_OVER_1024_CHARS: 'an implicit key longer than 1024 characters',
  MISSING_CHAR: 'a missing character (a closing quote or bracket, a comma, a colon or a space)',
  MULTILINE_IMPLICIT_KEY: 'a key spanning lines',
  MULTIPLE_ANCHORS: 'more than one anchor on a value',
  MULTIPLE_DOCS: 'more than one document (a layer is one document)',
  MULTIPLE_TAGS: 'more than one tag on a value',
  NON_STRING_KEY: 'a key that is not a plain value (a collection or an alias)',
  RESOURCE_EXHAUSTION: 'nested too deeply',
  TAB_AS_INDENT: 'a tab used as indentation',
  TAG_RESOLVE_FAILED: 'a tag outside the YAML 1.2 core schema (custom tags such as !Ref are not read)',
  UNEXPECTED_TOKEN: 'unexpected token',
};

interface At {
  line: number;
  column: number;
}

function parseError(source: string, at: At, reason: string): ConfigError {
  return new ConfigError(
    'PARSE_ERROR',
    `${source}: invalid YAML at line ${at.line}, column ${at.column} (${reason})`,
    { source, line: at.line, column: at.column, reason },
  );
}

function fromYamlError(source: string, err: YAMLError): ConfigError {
  const pos = err.linePos?.[0];
  const reason = REASONS[err.code] ?? `invalid YAML (${err.code})`;
  return parseError(source, { line: pos?.line ?? 1, column: pos?.col ?? 1 }, reason);
}

/** A plain `<<` key: a YAML 1.1 merge key, which 1.2 does not have (see the Layers guide). */
function mergeKey(yaml: YamlApi, node: unknown): Node | undefined {
  if (yaml.isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      if (yaml.isScalar(key) && key.type === 'PLAIN' && key.value === '<<') return key;
      const inner = mergeKey(yaml, pair.value);
      if (inner) return inner;
    }
  } else if (yaml.isSeq(node)) {
    for (const item of node.items) {
      const inner = mergeKey(yaml, item);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Checks a parsed document; returns it as a layer or throws the first problem. */
function toLayer(yaml: YamlApi, doc: Document.Parsed, source: string, at: (offset: number) => At): object {
  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (problem) throw fromYamlError(source, problem);
  if (!yaml.isMap(doc.contents)) {
    throw new ConfigError('PARSE_ERROR', `${source}: the top level must be a mapping (an object)`, {
      source,
      line: 1,
      column: 1,
      reason: 'not an object',
    });
  }
  const merge = mergeKey(yaml, doc.contents);
  if (merge) {
    const reason = 'a merge key (<<): YAML 1.2 has none; use a $default layer or an alias';
    throw parseError(source, at(merge.range?.[0] ?? 0), reason);
  }
  const aliases = checkAliases(yaml, doc.contents);
  if (aliases.broken)
    throw parseError(source, at(aliases.broken.node.range?.[0] ?? 0), aliases.broken.reason);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // Every other problem was found above: only aliases expanding past the bound get here.
    const reason = `aliases expand to more than ${MAX_ALIAS_COUNT} values`;
    throw parseError(source, at(aliases.first?.range?.[0] ?? 0), reason);
  }
  return withoutSchemaKey(value as Record<string, unknown>);
}

/** A top-level `$schema` (an editor's schema link) is not configuration, as in JSON5 layers. */
function withoutSchemaKey(layer: Record<string, unknown>): object {
  if (!Object.hasOwn(layer, '$schema')) return layer;
  const { $schema: _editorsOnly, ...rest } = layer;
  return rest;
}

/** Line and column (1-based) of a character offset. */
function positionOf(text: string, offset: number): At {
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

/** Parses a YAML layer's text (byte order mark removed); the top level must be a mapping. */
export async function parseYamlText(text: string, source: string): Promise<object> {
  const yaml = await loadYamlPackage(source);
  const at = (offset: number) => positionOf(text, offset);
  const deep = tooDeepAt(yaml, text);
  if (deep !== undefined) throw parseError(source, at(deep), 'nested too deeply');
  return toLayer(yaml, yaml.parseDocument(text, YAML_OPTIONS), source, at);
}
