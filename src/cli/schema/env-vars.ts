import { describeSource, isRemote } from '../../descriptor.js';
import { isDeferred } from '../../layer-meta.js';
import { isPlainObject } from '../../layer-tree.js';
import { schemaKind } from '../../schema.js';
import type { Logger, Source } from '../../types.js';
import { envSegment } from '../formats.js';
import { type SchemaLeaf, schemaLeaves } from './leaves.js';

/**
 * The environment variables a definition's fromEnv sources accept, one per schema leaf, named as
 * fromEnv maps them back: the prefix, then each key as UPPER_SNAKE (`newCheckout` -> `NEW_CHECKOUT`)
 * joined by the separator; and the `map` entries as given.
 */

/** One variable: the JSON's keys, plus what a person wants to see in a table. */
export interface EnvVariable {
  name: string;
  path: string;
  type: string;
  required: boolean;
  secret: boolean;
  /**
   * Why setting it would be an unexpected override (`not $default in config.json5`): a layer below
   * sets its value unmarked. Absent when setting it is silent.
   */
  wouldWarn?: string;
  /** The schema's default, else the value a layer below sets (absent when neither does). */
  default?: unknown;
}

/** A value a layer below the env source sets: whether it is a marker's (`$default`), and which layer. */
export interface ValueBelow {
  value: unknown;
  /** Set as a `$default` (a later layer may replace it silently). */
  marked: boolean;
  /** The layer that set it last. */
  source: string;
}

/** A fromEnv source of a definition, as the env table reads it. */
export interface EnvSourceMapping {
  prefix?: string;
  separator: string;
  map?: Readonly<Record<string, string>>;
  /** Where the source stands in the definition: the layers before it are below it. */
  index: number;
}

/**
 * The mapping of a fromEnv source, from its descriptor (registered, so a definition from another
 * copy of strataconf, a `--loader` module with its own node_modules, is read too).
 */
function mappingOf(source: Source<string>, index: number): EnvSourceMapping | undefined {
  const descriptor = describeSource(source);
  if (descriptor?.store !== 'env') return undefined;
  const { prefix, separator, map } = descriptor;
  return { index, separator, ...(prefix ? { prefix } : {}), ...(map ? { map } : {}) };
}

export function envMappings(sources: readonly Source<string>[]): EnvSourceMapping[] {
  return sources.flatMap((source, index) =>
    source.enabled === false ? [] : (mappingOf(source, index) ?? []),
  );
}

/**
 * What the local layers below `index` set: dotted path -> value, as the merge leaves it: a later
 * layer's value replaces an earlier one, a `$default` counts as set (marked), an `$override` unsets
 * the path (a layer above must set it).
 */
export async function valuesBelow(
  sources: readonly Source<string>[],
  index: number,
  skipped: (name: string, reason: string) => void,
): Promise<Map<string, ValueBelow>> {
  const set = new Map<string, ValueBelow>();
  const quiet: Logger = { warn() {} };
  for (const source of sources.slice(0, index)) {
    if (source.enabled === false || mappingOf(source, 0) !== undefined) continue;
    // Layers that need the network (and the deploy's credentials) are not read to judge `required`.
    if (isRemote(describeSource(source))) {
      skipped(source.name, 'not read (a remote layer): a value only it sets is listed as required');
      continue;
    }
    const layer = await source
      .load({ signal: AbortSignal.timeout(5000), logger: quiet })
      .catch((err: unknown) => {
        // An optional layer that is absent sets nothing: that is what "required" is judged on.
        if ((err as { code?: unknown })?.code === 'SOURCE_UNAVAILABLE' && source.optional) return undefined;
        skipped(source.name, `not read (${(err as Error)?.message ?? String(err)})`);
      });
    if (layer !== undefined && !isDeferred(layer)) collect(layer, [], set, source.name, false);
  }
  return set;
}

/** Forgets `path` and everything below it (replaced by an `$override`). */
function unset(into: Map<string, ValueBelow>, path: string): void {
  for (const key of into.keys()) if (key === path || key.startsWith(`${path}.`)) into.delete(key);
}

function collect(
  value: unknown,
  path: string[],
  into: Map<string, ValueBelow>,
  source: string,
  marked: boolean,
): void {
  if (!isPlainObject(value)) {
    into.set(path.join('.'), { value, marked, source });
    return;
  }
  if ('$override' in value) {
    unset(into, path.join('.'));
    return;
  }
  if ('$default' in value) {
    collect(value.$default, path, into, source, true);
    return;
  }
  for (const [key, child] of Object.entries(value)) collect(child, [...path, key], into, source, marked);
}

/** What a layer below sets at `path`, or at a parent of it (an array or a value-typed object: no value here). */
function setBelow(below: Map<string, ValueBelow>, path: string[]): ValueBelow | undefined {
  for (let n = path.length; n > 0; n--) {
    const found = below.get(path.slice(0, n).join('.'));
    if (found !== undefined) return n === path.length ? found : { ...found, value: undefined };
  }
  return undefined;
}

function row(
  name: string,
  leaf: SchemaLeaf,
  below: Map<string, ValueBelow>,
  secret: boolean,
  warns: boolean,
): EnvVariable {
  const set = setBelow(below, leaf.path);
  const out: EnvVariable = {
    name,
    path: leaf.path.join('.'),
    type: leaf.type,
    required: !leaf.optional && !set,
    secret,
  };
  // Setting a value a layer below set unmarked is an unexpected override (a warning by default).
  if (warns && set !== undefined && !set.marked) out.wouldWarn = `not $default in ${set.source}`;
  const value = set ? set.value : leaf.default;
  if (set?.value !== undefined || 'default' in leaf) out.default = value;
  return out;
}

/** The variable name of `path` under a prefix, or undefined when a key cannot be written in one. */
export function variableName(mapping: EnvSourceMapping, path: readonly string[]): string | undefined {
  if (mapping.prefix === undefined) return undefined;
  const segments = path.map((key) => envSegment(key));
  if (segments.some((s) => s === undefined || s.includes(mapping.separator))) return undefined;
  return mapping.prefix + segments.join(mapping.separator);
}

/**
 * Every variable of one fromEnv source; leaves no name can carry go to `unnamed`. `warns`: the
 * definition reports unexpected overrides (its `overrides` is not `'ignore'`).
 */
export function variablesOf(
  schema: unknown,
  mapping: EnvSourceMapping,
  below: Map<string, ValueBelow>,
  isSecret: (path: readonly string[]) => boolean,
  unnamed: (path: string) => void,
  warns = true,
): EnvVariable[] {
  const leaves = schemaLeaves(schema);
  const rows: EnvVariable[] = [];
  for (const leaf of leaves) {
    const name = variableName(mapping, leaf.path);
    if (name !== undefined) rows.push(row(name, leaf, below, leaf.secret || isSecret(leaf.path), warns));
    else if (mapping.prefix !== undefined) unnamed(leaf.path.join('.'));
  }
  for (const [dotted, variable] of Object.entries(mapping.map ?? {})) {
    const path = dotted.split('.');
    const leaf = leaves.find((l) => l.path.join('.') === dotted) ?? {
      path,
      type: schemaKind(schema, path),
      optional: true,
      secret: false,
    };
    rows.push(row(variable, leaf, below, leaf.secret || isSecret(path), warns));
  }
  return rows;
}
