import { isSecretSchema, schemaKind, unwrap } from '../../schema.js';

/** The leaves of a zod schema (what an env variable can set), read from `_zod.def` without importing zod. */

interface ZodNode {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, unknown>;
      innerType?: unknown;
      values?: unknown[];
      entries?: Record<string, unknown>;
      defaultValue?: unknown;
    };
  };
}

/** One value the schema declares: a scalar, an array, or an object it does not describe key by key. */
export interface SchemaLeaf {
  path: string[];
  /** `string`, `number`, `boolean`, `array`, `object`, `unknown`, or the allowed values (`"dev" | "prod"`). */
  type: string;
  /** The schema supplies a value when none is set (`.default()`, `.optional()`, or an optional parent). */
  optional: boolean;
  /** The schema's default, when it has one. */
  default?: unknown;
  secret: boolean;
}

const OPTIONAL = new Set(['optional', 'default', 'prefault', 'catch']);

/** Optional, and the default, as the wrappers around a position say. */
function wrappers(schema: unknown): { optional: boolean; default?: unknown } {
  let node = schema as ZodNode | undefined;
  for (let i = 0; i < 32 && node?._zod?.def; i++) {
    const def = node._zod.def;
    if (def.type === 'default' || def.type === 'prefault')
      return { optional: true, default: def.defaultValue };
    if (OPTIONAL.has(def.type)) return { optional: true };
    if (!['nullable', 'readonly', 'nonoptional'].includes(def.type)) break;
    node = def.innerType as ZodNode | undefined;
  }
  return { optional: false };
}

function typeOf(schema: unknown): string {
  const def = (unwrap(schema) as ZodNode | undefined)?._zod.def;
  const values =
    def?.type === 'enum'
      ? Object.values(def.entries ?? {})
      : def?.type === 'literal'
        ? def.values
        : undefined;
  if (values && values.length > 0) return values.map((v) => JSON.stringify(v)).join(' | ');
  return schemaKind(schema, []);
}

/** Every leaf below `schema`, in declaration order. */
export function schemaLeaves(
  schema: unknown,
  path: string[] = [],
  optionalAbove = false,
  depth = 0,
): SchemaLeaf[] {
  const own = wrappers(schema);
  const optional = optionalAbove || own.optional;
  const def = (unwrap(schema) as ZodNode | undefined)?._zod.def;
  if (depth < 32 && def?.type === 'object' && def.shape && Object.keys(def.shape).length > 0) {
    return Object.entries(def.shape).flatMap(([key, child]) =>
      schemaLeaves(child, [...path, key], optional, depth + 1),
    );
  }
  const leaf: SchemaLeaf = { path, type: typeOf(schema), optional, secret: isSecretSchema(schema) };
  if ('default' in own) leaf.default = own.default;
  return [leaf];
}
