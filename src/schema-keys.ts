import { unwrap } from './schema.js';

/**
 * Which keys a position in a zod schema declares, for the unknown-key check. A key is unknown
 * exactly where zod would drop it without a word (or, for a strict object, refuse it): a closed
 * object that does not declare it. Open shapes declare any key: `z.looseObject`, `.catchall()`,
 * `z.record`, `z.any()`, `z.unknown()`, and positions a transform reads (`z.preprocess`). Unions and
 * intersections declare what any of their members declares. Schemas are read once each and
 * remembered, so a load pays a map lookup per key.
 */

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  catchall?: { _zod?: { def?: { type?: string } } };
  valueType?: unknown;
  element?: unknown;
  items?: unknown[];
  rest?: unknown;
  options?: unknown[];
  left?: unknown;
  right?: unknown;
}

/** One object-like member of a schema position. */
type Part =
  | { kind: 'object'; shape: Record<string, unknown>; catchall?: unknown }
  | { kind: 'record'; value: unknown }
  | { kind: 'array'; element: unknown }
  | { kind: 'tuple'; items: unknown[]; rest?: unknown };

/** A schema position: the object-like members whose keys are checked, or `OPEN` (nothing is). */
export type Scope = readonly Part[] | typeof OPEN;

/** Any key is declared here and below. */
export const OPEN = 'open' as const;
/** The key is declared nowhere in its scope. */
export const UNDECLARED = 'undeclared' as const;

const scopes = new WeakMap<object, Scope>();
const MAX_DEPTH = 32;

function defOf(schema: unknown): Def | undefined {
  return (unwrap(schema) as { _zod: { def: Def } } | undefined)?._zod.def;
}

/** Collects the object-like members of a schema; false when any member is open. */
function collect(schema: unknown, out: Part[], depth: number): boolean {
  const def = defOf(schema);
  if (def === undefined || depth > MAX_DEPTH) return false;
  switch (def.type) {
    case 'object': {
      const open = def.catchall !== undefined && def.catchall._zod?.def?.type !== 'never';
      out.push({ kind: 'object', shape: def.shape ?? {}, ...(open ? { catchall: def.catchall } : {}) });
      return true;
    }
    case 'record':
      out.push({ kind: 'record', value: def.valueType });
      return true;
    case 'array':
      out.push({ kind: 'array', element: def.element });
      return true;
    case 'tuple':
      out.push({ kind: 'tuple', items: def.items ?? [], rest: def.rest ?? undefined });
      return true;
    case 'union':
      return (def.options ?? []).every((o) => collect(o, out, depth + 1));
    case 'intersection':
      return collect(def.left, out, depth + 1) && collect(def.right, out, depth + 1);
    case 'any':
    case 'unknown':
    case 'transform':
    case 'custom':
      return false;
    default:
      // A leaf type (string, number...): a layer's object there fails the schema, which says so.
      return true;
  }
}

/** The scope of a schema position (remembered per schema object). */
export function scopeOf(schema: unknown): Scope {
  if (typeof schema !== 'object' || schema === null) return OPEN;
  let scope = scopes.get(schema);
  if (scope === undefined) {
    const parts: Part[] = [];
    scope = collect(schema, parts, 0) ? parts : OPEN;
    scopes.set(schema, scope);
  }
  return scope;
}

/** The schemas that apply below `key` in `part`, or undefined when the part does not declare it. */
function declaredBy(part: Part, key: string): unknown[] | undefined {
  switch (part.kind) {
    case 'object':
      if (Object.hasOwn(part.shape, key)) return [part.shape[key]];
      return part.catchall === undefined ? undefined : [part.catchall];
    case 'record':
      return [part.value];
    case 'array':
      return /^\d+$/.test(key) ? [part.element] : undefined;
    default: {
      if (!/^\d+$/.test(key)) return undefined;
      const item = part.items[Number(key)] ?? part.rest;
      return item === undefined ? undefined : [item];
    }
  }
}

/** The scope below `key`: `UNDECLARED` when no member declares it, `OPEN` when nothing is checked. */
export function childScope(scope: Scope, key: string): Scope | typeof UNDECLARED {
  if (scope === OPEN) return OPEN;
  // The common case, one plain object: a lookup, no allocation.
  const only = scope.length === 1 ? scope[0] : undefined;
  if (only?.kind === 'object') {
    if (Object.hasOwn(only.shape, key)) return scopeOf(only.shape[key]);
    return only.catchall === undefined ? UNDECLARED : scopeOf(only.catchall);
  }
  if (scope.length === 0) return OPEN;
  const schemas = scope.flatMap((part) => declaredBy(part, key) ?? []);
  // Undeclared only where an object says so; an object where the schema wants an array or a
  // string fails the schema, which says so.
  if (schemas.length === 0) return scope.some((p) => p.kind === 'object') ? UNDECLARED : OPEN;
  const parts: Part[] = [];
  for (const schema of schemas) {
    const child = scopeOf(schema);
    if (child === OPEN) return OPEN;
    parts.push(...child);
  }
  return parts;
}

/** True when `key` is declared in `scope`, without working out the scope below it (for a scalar leaf). */
export function declares(scope: Scope, key: string): boolean {
  if (scope === OPEN) return true;
  const only = scope.length === 1 ? scope[0] : undefined;
  if (only?.kind === 'object') return Object.hasOwn(only.shape, key) || only.catchall !== undefined;
  return childScope(scope, key) !== UNDECLARED;
}

/**
 * Paths declared below a scope, up to `depth` keys deep (for suggestions: `httpRetries` is near
 * `http.retries` once joined).
 */
export function declaredPaths(scope: Scope, depth: number): string[][] {
  if (scope === OPEN || depth === 0) return [];
  const out: string[][] = [];
  for (const part of scope) {
    if (part.kind !== 'object') continue;
    for (const key of Object.keys(part.shape)) {
      out.push([key]);
      for (const below of declaredPaths(scopeOf(part.shape[key]), depth - 1)) out.push([key, ...below]);
    }
  }
  return out;
}
