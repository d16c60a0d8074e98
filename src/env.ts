import { type Entry, layerFromEntries, resolveSegments, unsafeKey } from './keyed-strings.js';
import { isUnsafeKey } from './layer-tree.js';
import type { ResolveContext } from './sources/internal.js';

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

function targets(vars: Record<string, string>, mapping: EnvMapping, ctx: ResolveContext): Entry[] {
  const out: Entry[] = [];
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
    out.push({ name: variable, path, raw });
  }
  return out;
}

/** Builds the env layer from a snapshot of variables, against the schema and the merged layers below. */
export async function envLayer(
  vars: Record<string, string>,
  mapping: EnvMapping,
  ctx: ResolveContext,
): Promise<Record<string, unknown>> {
  return layerFromEntries(targets(vars, mapping, ctx), ctx, 'variable');
}
