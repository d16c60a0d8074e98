import { type KeyedString, layerFromEntries, resolveSegments, unsafeKey } from './keyed-strings.js';
import { type KeyName, nameKeys, type ResolveContext } from './layer-meta.js';
import { isUnsafeKey } from './layer-tree.js';

/**
 * Env variables to a layer: names map to paths against the keys the schema and the lower layers
 * already have, and values are coerced to what that path expects (keyed-strings.ts, shared with
 * SSM parameters). Runs at merge time, after the lower layers are merged, so it sees what is below it.
 */

export interface EnvMapping {
  prefix?: string;
  separator: string;
  map?: Record<string, string>;
}

function resolvePath(variable: string, rest: string, mapping: EnvMapping, ctx: ResolveContext): string[] {
  // Checked before the split: with the separator `__`, `__proto__` would split into harmless segments.
  if (rest.toLowerCase().includes('__proto__'))
    throw unsafeKey(ctx.source, variable, '__proto__', 'variable');
  return resolveSegments(variable, rest.split(mapping.separator), ctx, { label: 'variable' });
}

function targets(vars: Record<string, string>, mapping: EnvMapping, ctx: ResolveContext): KeyedString[] {
  const out: KeyedString[] = [];
  const { prefix } = mapping;
  if (prefix !== undefined) {
    for (const variable of Object.keys(vars).sort()) {
      if (!variable.startsWith(prefix) || variable.length === prefix.length) continue;
      const path = resolvePath(variable, variable.slice(prefix.length), mapping, ctx);
      out.push({ name: variable, path, raw: vars[variable] as string });
    }
  }
  for (const [dotted, variable] of Object.entries(mapping.map ?? {})) {
    const raw = vars[variable];
    if (raw === undefined) continue;
    const path = dotted.split('.');
    const bad = path.find((k) => isUnsafeKey(k) || k === '');
    if (bad !== undefined) throw unsafeKey(ctx.source, variable, bad, 'variable');
    out.push({ name: variable, path, raw, fromMap: true });
  }
  return out;
}

/** Builds the env layer from a snapshot of variables, against the schema and the merged layers below. */
export async function envLayer(
  vars: Record<string, string>,
  mapping: EnvMapping,
  ctx: ResolveContext,
): Promise<Record<string, unknown>> {
  const all = targets(vars, mapping, ctx);
  const layer = await layerFromEntries(all, ctx, 'variable');
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
function variablesAt(all: readonly KeyedString[], path: readonly string[], mapping: EnvMapping): KeyName[] {
  const at = path.length - 1;
  // A key inside a variable's JSON5 value (APP_DB='{ hots: 1 }'): named by its path in that variable.
  const holder = all.find((t) => t.path.length <= at && t.path.every((key, i) => path[i] === key));
  if (holder !== undefined)
    return [{ label: `${path.join('.')} in ${holder.name}`, details: { variable: holder.name } }];
  return all
    .filter((t) => t.path.length > at && path.every((key, i) => t.path[i] === key))
    .map((t) => ({
      label: `${t.name} (${t.path.join('.')})`,
      details: { variable: t.name },
      suggest: (suggested: readonly string[]) => {
        const fixed = [...suggested, ...t.path.slice(at + 1)];
        if (t.fromMap || mapping.prefix === undefined) return fixed.join('.');
        const segments = t.name.slice(mapping.prefix.length).split(mapping.separator);
        const tail = suggested.slice(at).map(envSegment);
        return `${mapping.prefix}${[...segments.slice(0, at), ...tail, ...segments.slice(at + 1)].join(mapping.separator)}`;
      },
    }));
}
