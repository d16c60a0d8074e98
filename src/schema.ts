/**
 * Reading a zod v4 schema by its public `_zod.def` shape, without importing zod: strataconf never
 * loads zod itself, so a config without a schema does not pay for it.
 */

interface ZodLike {
  _zod: { def: ZodDef };
  meta?: () => Record<string, unknown> | undefined;
}

interface ZodDef {
  type: string;
  shape?: Record<string, ZodLike>;
  innerType?: ZodLike;
  in?: ZodLike;
  out?: ZodLike;
  element?: ZodLike;
  valueType?: ZodLike;
  options?: ZodLike[];
  values?: unknown[];
  getter?: () => ZodLike;
}

/** The kind of value a schema position expects, as far as env coercion cares. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'unknown';

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function isZodLike(value: unknown): value is ZodLike {
  return (
    typeof value === 'object' && value !== null && typeof (value as ZodLike)._zod?.def?.type === 'string'
  );
}

/** Looks through optional/nullable/default/readonly/catch/pipe/lazy wrappers to the input type. */
export function unwrap(schema: unknown): ZodLike | undefined {
  let current: unknown = schema;
  for (let i = 0; i < 32 && isZodLike(current); i++) {
    const def: ZodDef = current._zod.def;
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else return current;
  }
  return undefined;
}

/** The schema at `path` (object shapes and record values), or undefined where the schema says nothing. */
export function schemaAt(schema: unknown, path: readonly string[]): ZodLike | undefined {
  let current = unwrap(schema);
  for (const key of path) {
    if (!current) return undefined;
    const def = current._zod.def;
    if (def.type === 'object' && def.shape)
      current = unwrap(Object.hasOwn(def.shape, key) ? def.shape[key] : undefined);
    else if (def.type === 'record') current = unwrap(def.valueType);
    else if (def.type === 'array' && /^\d+$/.test(key)) current = unwrap(def.element);
    else return undefined;
  }
  return current;
}

/** Keys an object schema declares at `path`. */
export function schemaKeys(schema: unknown, path: readonly string[]): string[] {
  const def = schemaAt(schema, path)?._zod.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function kindOfLiteral(values: unknown[] | undefined): ValueKind {
  const first = values?.[0];
  if (typeof first === 'number') return 'number';
  if (typeof first === 'boolean') return 'boolean';
  return 'string';
}

/** What kind of value the schema expects at `path`. */
export function schemaKind(schema: unknown, path: readonly string[]): ValueKind {
  const node = schemaAt(schema, path);
  if (!node) return 'unknown';
  const def = node._zod.def;
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'template_literal':
      return 'string';
    case 'number':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
    case 'tuple':
    case 'set':
      return 'array';
    case 'object':
    case 'record':
    case 'map':
      return 'object';
    case 'literal':
      return kindOfLiteral(def.values);
    case 'union': {
      const kinds = (def.options ?? []).map((o) => schemaKind(o, []));
      return kinds.includes('string') ? 'string' : (kinds.find((k) => k !== 'unknown') ?? 'unknown');
    }
    default:
      return 'unknown';
  }
}

/**
 * zod's global registry, shared by every copy of zod v4 through `globalThis`: where zod/mini keeps
 * `.check(z.meta({ secret: true }))` and `.register(z.globalRegistry, { secret: true })`, having no
 * `.meta()` method of its own.
 */
function registeredMeta(schema: object): Record<string, unknown> | undefined {
  const registry = (globalThis as { __zod_globalRegistry?: { get(s: object): unknown } })
    .__zod_globalRegistry;
  return registry?.get(schema) as Record<string, unknown> | undefined;
}

/** True when a schema position, or a wrapper around it, carries `.meta({ secret: true })`. */
export function isSecretSchema(schema: unknown): boolean {
  let current: unknown = schema;
  for (let i = 0; i < 32 && isZodLike(current); i++) {
    if (current.meta?.()?.secret === true || registeredMeta(current)?.secret === true) return true;
    const def: ZodDef = current._zod.def;
    current = WRAPPERS.has(def.type) ? def.innerType : def.type === 'pipe' ? def.in : undefined;
  }
  return false;
}

/** Paths (as key arrays) the schema marks secret; `*` stands for any record key or array index. */
export function secretPaths(schema: unknown, path: string[] = [], depth = 0): string[][] {
  if (depth > 32 || !isZodLike(schema)) return [];
  if (isSecretSchema(schema)) return [path];
  const def = unwrap(schema)?._zod.def;
  if (!def) return [];
  if (def.type === 'object' && def.shape) {
    return Object.entries(def.shape).flatMap(([k, v]) => secretPaths(v, [...path, k], depth + 1));
  }
  if (def.type === 'record') return secretPaths(def.valueType, [...path, '*'], depth + 1);
  if (def.type === 'array') return secretPaths(def.element, [...path, '*'], depth + 1);
  return [];
}
