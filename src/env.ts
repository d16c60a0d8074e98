import { ConfigError, formatPath } from './errors.js';
import { isPlainObject, isUnsafeKey, lookup, type Node } from './layer-tree.js';
import { parseJson5Value } from './parse.js';
import { schemaKeys, schemaKind, type ValueKind } from './schema.js';
import { type KeyName, nameKeys } from './sources/internal.js';

/**
 * Env variables to a layer: names map to paths against the keys the schema and the lower layers
 * already have, and values are coerced to what that path expects. Runs at merge time, after the
 * lower layers are merged, so it sees what is below it.
 */

export interface EnvMapping {
  prefix?: string;
  separator: string;
  map?: Record<string, string>;
}

interface Target {
  variable: string;
  path: string[];
  raw: string;
  /** Set by `map` (the path is the user's), not by the prefix (the path comes from the name). */
  fromMap?: boolean;
}

/** What a segment is compared by: case-insensitive, `_` and `-` ignored. */
function normalize(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** `THREAD_POOL` -> `threadPool`. */
export function camelCase(segment: string): string {
  const words = segment.toLowerCase().split(/[_-]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
}

function unsafe(source: string, variable: string, key: string): ConfigError {
  return new ConfigError(
    'UNSAFE_KEY',
    `${source}: ${variable} names the key "${key}", which is not allowed`,
    {
      source,
      variable,
      path: [key],
    },
  );
}

/** Keys that exist at `path`: the schema's and the lower layers'. */
function knownKeys(schema: unknown, below: Node, path: string[]): string[] {
  const node = lookup(below, path);
  const fromLayers = node?.kind === 'branch' ? [...node.children.keys()] : [];
  return [...schemaKeys(schema, path), ...fromLayers];
}

function resolvePath(variable: string, rest: string, mapping: EnvMapping, ctx: ResolveContext): string[] {
  if (rest.toLowerCase().includes('__proto__')) throw unsafe(ctx.source, variable, '__proto__');
  const path: string[] = [];
  for (const segment of rest.split(mapping.separator)) {
    if (segment === '') {
      throw new ConfigError('VALIDATION_ERROR', `${ctx.source}: ${variable} has an empty path segment`, {
        source: ctx.source,
        variable,
      });
    }
    const wanted = normalize(segment);
    const key =
      knownKeys(ctx.schema, ctx.below, path).find((k) => normalize(k) === wanted) ?? camelCase(segment);
    if (isUnsafeKey(key) || key === '') throw unsafe(ctx.source, variable, key || segment);
    path.push(key);
  }
  return path;
}

/** What the value at `path` should be: the schema says first, else the lower layer's value. */
function expectedKind(schema: unknown, below: Node, path: string[]): ValueKind {
  const fromSchema = schemaKind(schema, path);
  if (fromSchema !== 'unknown') return fromSchema;
  const node = lookup(below, path);
  if (node === undefined) return 'unknown';
  if (node.kind === 'branch') return 'object';
  const v = node.value;
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return typeof v as ValueKind;
  return isPlainObject(v) ? 'object' : 'unknown';
}

async function coerce(target: Target, kind: ValueKind, source: string): Promise<unknown> {
  const { raw } = target;
  const fail = (): never => {
    throw new ConfigError(
      'VALIDATION_ERROR',
      `${source}: ${target.variable} must be ${kind === 'array' || kind === 'object' ? `JSON5 ${kind === 'array' ? 'array' : 'object'} text` : `a ${kind}`} (for ${formatPath(target.path)})`,
      { source, variable: target.variable, path: target.path, expected: kind },
    );
  };
  switch (kind) {
    case 'number': {
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      return Number.isFinite(n) ? n : fail();
    }
    case 'boolean': {
      const b = raw.trim().toLowerCase();
      if (b === 'true' || b === '1') return true;
      if (b === 'false' || b === '0') return false;
      throw new ConfigError(
        'VALIDATION_ERROR',
        `${source}: ${target.variable} must be a boolean: true, false, 1 or 0, in any case (for ${formatPath(target.path)})`,
        { source, variable: target.variable, path: target.path, expected: kind },
      );
    }
    case 'array':
    case 'object': {
      const value = await parseJson5Value(raw).catch(fail);
      return (kind === 'array' ? Array.isArray(value) : isPlainObject(value)) ? value : fail();
    }
    default:
      return raw;
  }
}

interface ResolveContext {
  source: string;
  schema: unknown;
  below: Node;
}

function targets(vars: Record<string, string>, mapping: EnvMapping, ctx: ResolveContext): Target[] {
  const out: Target[] = [];
  const { prefix } = mapping;
  if (prefix !== undefined) {
    for (const variable of Object.keys(vars).sort()) {
      if (!variable.startsWith(prefix) || variable.length === prefix.length) continue;
      const path = resolvePath(variable, variable.slice(prefix.length), mapping, ctx);
      out.push({ variable, path, raw: vars[variable] as string });
    }
  }
  for (const [dotted, variable] of Object.entries(mapping.map ?? {})) {
    const raw = vars[variable];
    if (raw === undefined) continue;
    const path = dotted.split('.');
    const bad = path.find((k) => isUnsafeKey(k) || k === '');
    if (bad !== undefined) throw unsafe(ctx.source, variable, bad);
    out.push({ variable, path, raw, fromMap: true });
  }
  // Shallow paths first, so `APP_DB='{...}'` and `APP_DB__PORT=1` combine instead of erasing each other.
  return out.sort((a, b) => a.path.length - b.path.length);
}

function setIn(layer: Record<string, unknown>, path: string[], value: unknown): void {
  let node = layer;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (isPlainObject(next)) node = next;
    else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
}

/** Builds the env layer from a snapshot of variables, against the schema and the merged layers below. */
export async function envLayer(
  vars: Record<string, string>,
  mapping: EnvMapping,
  ctx: ResolveContext,
): Promise<Record<string, unknown>> {
  const layer: Record<string, unknown> = {};
  const all = targets(vars, mapping, ctx);
  for (const target of all) {
    setIn(
      layer,
      target.path,
      await coerce(target, expectedKind(ctx.schema, ctx.below, target.path), ctx.source),
    );
  }
  nameKeys(layer, (path) => variablesAt(all, path, mapping));
  return layer;
}

/** `logLevel` -> `LOG_LEVEL`: the segment fromEnv maps back to the same key. */
export function envSegment(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();
}

/**
 * The variables that set `path` or something below it, named as variables in messages:
 * `APP_LOG_LEVL (logLevl)`, with a suggestion as a variable too (`APP_LOG_LEVEL`); a `map` entry's
 * suggestion is the path to write in the map.
 */
function variablesAt(all: readonly Target[], path: readonly string[], mapping: EnvMapping): KeyName[] {
  const at = path.length - 1;
  // A key inside a variable's JSON5 value (APP_DB='{ hots: 1 }'): named by its path in that variable.
  const holder = all.find((t) => t.path.length <= at && t.path.every((key, i) => path[i] === key));
  if (holder !== undefined)
    return [{ label: `${path.join('.')} in ${holder.variable}`, details: { variable: holder.variable } }];
  return all
    .filter((t) => t.path.length > at && path.every((key, i) => t.path[i] === key))
    .map((t) => ({
      label: `${t.variable} (${t.path.join('.')})`,
      details: { variable: t.variable },
      suggest: (suggested: readonly string[]) => {
        const fixed = [...suggested, ...t.path.slice(at + 1)];
        if (t.fromMap || mapping.prefix === undefined) return fixed.join('.');
        const segments = t.variable.slice(mapping.prefix.length).split(mapping.separator);
        const tail = suggested.slice(at).map(envSegment);
        return `${mapping.prefix}${[...segments.slice(0, at), ...tail, ...segments.slice(at + 1)].join(mapping.separator)}`;
      },
    }));
}
