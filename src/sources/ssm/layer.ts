import { type KeyedString, layerFromEntries, resolveSegments } from '../../keyed-strings.js';
import {
  DEFERRED,
  type DeferredLayer,
  type KeyName,
  markSecret,
  nameKeys,
  type ResolveContext,
} from '../../layer-meta.js';
import type { SsmParameter } from './wire.js';

/**
 * Parameters under a path to a layer: `/orders/prod/db/host` under `/orders/prod/` sets `db.host`.
 * Segments match the keys the schema and the lower layers have, and values are coerced to what each
 * path expects, as environment variables are (keyed-strings.ts); so the layer is resolved at merge
 * time. A StringList is an array of strings; SecureString values are marked secret.
 */

/** A parameter as the layer keeps it: its name below the path, split into segments. */
export interface KeptParameter {
  name: string;
  segments: string[];
  type: string;
  value: string;
}

/**
 * The key of a segment no schema or lower layer declares: parameter names are often written in
 * camelCase already (`threadPool`), which is kept; `thread_pool`, `thread-pool` and `THREAD_POOL`
 * become `threadPool`, as an env variable's segment does.
 */
export function ssmKey(segment: string): string {
  const mixed = /[a-z]/.test(segment) && /[A-Z]/.test(segment);
  if (!mixed) return segment.toLowerCase().replace(/[_-]+(.)/g, (_, c: string) => c.toUpperCase());
  return segment.replace(/[_-]+(.)/g, (_, c: string) => c.toUpperCase());
}

/** The parameters under `prefix` (`/orders/prod/`), sorted by name so equal sets compare equal. */
export function keepParameters(params: readonly SsmParameter[], prefix: string): KeptParameter[] {
  const kept: KeptParameter[] = [];
  for (const p of params) {
    if (typeof p.Name !== 'string' || !p.Name.startsWith(prefix) || typeof p.Value !== 'string') continue;
    const name = p.Name.slice(prefix.length);
    kept.push({ name: p.Name, segments: name.split('/'), type: p.Type ?? 'String', value: p.Value });
  }
  return kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** True when two reads hold the same parameters, types and values. */
export function sameParameters(a: readonly KeptParameter[], b: readonly KeptParameter[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return q !== undefined && p.name === q.name && p.type === q.type && p.value === q.value;
    })
  );
}

async function resolveLayer(params: readonly KeptParameter[], ctx: ResolveContext): Promise<object> {
  const entries: KeyedString[] = params.map((p) => {
    const path = resolveSegments(p.name, p.segments, ctx, { label: 'parameter', fallback: ssmKey });
    const entry: KeyedString = { name: p.name, path, raw: p.value };
    if (p.type === 'StringList') entry.value = p.value.split(',');
    return entry;
  });
  const layer = await layerFromEntries(entries, ctx, 'parameter');
  const secret = entries.filter((_, i) => params[i]?.type === 'SecureString').map((e) => e.path);
  if (secret.length > 0) markSecret(layer, secret);
  nameKeys(layer, (path) => parametersAt(params, entries, path));
  return layer;
}

/**
 * The parameters that set `path` or something below it, named as parameters in unknown-key
 * warnings (`/orders/prod/db/hots (db.hots)`), with a suggestion as a parameter name too.
 */
function parametersAt(
  params: readonly KeptParameter[],
  entries: readonly KeyedString[],
  path: readonly string[],
): KeyName[] {
  const names: KeyName[] = [];
  entries.forEach((entry, i) => {
    const param = params[i];
    if (param === undefined || !path.every((key, k) => entry.path[k] === key)) return;
    // The path the source reads: the parameter's name without its own segments.
    const root = param.name.slice(0, param.name.length - param.segments.join('/').length);
    names.push({
      label: `${entry.name} (${entry.path.join('.')})`,
      details: { parameter: entry.name },
      suggest: (suggested) => `${root}${[...suggested, ...entry.path.slice(path.length)].join('/')}`,
    });
  });
  return names;
}

/** The deferred layer of a set of parameters. */
export function ssmLayer(params: readonly KeptParameter[]): DeferredLayer {
  return { [DEFERRED]: true, resolve: (ctx) => resolveLayer(params, ctx) };
}
