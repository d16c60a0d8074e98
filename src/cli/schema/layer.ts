/**
 * Turns the JSON Schema of a whole config into one for a single layer file: every property
 * optional (a layer sets only some values), and every value position, except inside arrays (an
 * array is a leaf, merged whole), may instead be a marker: `{ "$override": "why" }` or
 * `{ "$default": value }`, the value checked as the position's own type.
 */

type Json = Record<string, unknown>;

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const OVERRIDE = 'strataconf.override';
/** Shown when hovering a key: copied from the position's type to the marker-aware wrapper. */
const ANNOTATIONS = ['title', 'description', 'default', 'examples', 'deprecated'];

const OVERRIDE_SCHEMA: Json = {
  type: 'object',
  description: 'A value that a later layer must set; the load fails (OVERRIDE_MISSING) when none does.',
  properties: { $override: { type: 'string', description: 'Why the value is needed and where to set it.' } },
  required: ['$override'],
  additionalProperties: false,
};

interface Pass {
  defs: Json;
  names: Set<string>;
}

function isSchema(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function members(node: Json, key: string): Json[] {
  const list = node[key];
  return Array.isArray(list) ? list.filter(isSchema) : [];
}

/** True when markers may appear below `node`: a copy of it would then repeat every copy below. */
function hasPositions(node: Json): boolean {
  if (isSchema(node.properties) || isSchema(node.patternProperties) || isSchema(node.additionalProperties)) {
    return true;
  }
  return ['anyOf', 'oneOf', 'allOf'].some((key) => members(node, key).some(hasPositions));
}

/** A `$defs` name for `path`, unique, made of characters that need no escaping in a `$ref`. */
function define(pass: Pass, path: string, schema: Json): string {
  const base = path.replace(/[^A-Za-z0-9_.-]/g, '_') || 'root';
  let name = base;
  for (let i = 2; pass.names.has(name); i++) name = `${base}-${i}`;
  pass.names.add(name);
  pass.defs[name] = schema;
  return name;
}

function mapValues(record: unknown, fn: (value: Json, key: string) => Json): unknown {
  if (!isSchema(record)) return record;
  const out: Json = {};
  for (const [key, value] of Object.entries(record)) out[key] = isSchema(value) ? fn(value, key) : value;
  return out;
}

/** `node` with no key required and each value position marker-aware; arrays left whole. */
function partial(node: Json, pass: Pass, path: string): Json {
  const out: Json = { ...node };
  delete out.required;
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (out.properties !== undefined) {
    out.properties = mapValues(out.properties, (child, key) => position(child, pass, at(key)));
  }
  if (out.patternProperties !== undefined) {
    out.patternProperties = mapValues(out.patternProperties, (child) => position(child, pass, at('*')));
  }
  if (isSchema(out.additionalProperties)) {
    out.additionalProperties = position(out.additionalProperties, pass, at('*'));
  }
  // Partial branches overlap (`{}` fits them all): oneOf would then refuse what anyOf accepts.
  const oneOf = members(out, 'oneOf');
  if (oneOf.length > 0) {
    delete out.oneOf;
    out.anyOf = [...members(out, 'anyOf'), ...oneOf];
  }
  for (const key of ['anyOf', 'allOf']) {
    if (Array.isArray(out[key])) out[key] = members(out, key).map((m) => partial(m, pass, path));
  }
  return out;
}

/** A value position: its (partial) type, or `{ $override: string }`, or `{ $default: <its type> }`. */
function position(node: Json, pass: Pass, path: string): Json {
  const inner = partial(node, pass, path);
  const value = hasPositions(inner) ? { $ref: `#/$defs/${define(pass, path, inner)}` } : inner;
  const wrapper: Json = {};
  for (const key of ANNOTATIONS) if (key in inner) wrapper[key] = inner[key];
  wrapper.anyOf = [
    value,
    { $ref: `#/$defs/${OVERRIDE}` },
    {
      type: 'object',
      description: 'A default: a later layer may replace it (or any part of it) silently.',
      properties: { $default: value },
      required: ['$default'],
      additionalProperties: false,
    },
  ];
  return wrapper;
}

/**
 * The JSON Schema of one layer file, from zod's JSON Schema of the config's input. A top-level
 * `$schema` key (for editors) is allowed.
 *
 * @example
 * ```ts
 * const layer = layerSchema(schema.toJSONSchema({ io: 'input' }));
 * ```
 */
export function layerSchema(config: Json): Json {
  const { $schema: _dialect, $defs, ...root } = config;
  const pass: Pass = { defs: {}, names: new Set([OVERRIDE, ...Object.keys(isSchema($defs) ? $defs : {})]) };
  const zodDefs = mapValues($defs, (def, name) => partial(def, pass, name)) as Json | undefined;
  const body = partial(root, pass, '');
  body.properties = {
    $schema: {
      type: 'string',
      description: 'The JSON Schema editors check this file with; strataconf ignores it.',
    },
    ...(isSchema(body.properties) ? body.properties : {}),
  };
  return {
    $schema: DIALECT,
    title: 'strataconf layer',
    description:
      'One layer of the config: every key optional; any value may be { "$override": "why" } or { "$default": value }.',
    ...body,
    $defs: { ...(zodDefs ?? {}), ...pass.defs, [OVERRIDE]: OVERRIDE_SCHEMA },
  };
}
