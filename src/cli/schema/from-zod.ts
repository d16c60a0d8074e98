import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../errors.js';

/**
 * A zod schema to JSON Schema with zod's own converter, from the copy of zod that built the schema:
 * its `.toJSONSchema()` method (zod 4.2 and later), else the `toJSONSchema` of the zod the loader
 * module resolves (zod 4.0 and 4.1). Never strataconf's own copy first: metadata (descriptions)
 * lives in the registry of the copy that built the schema, and the two copies may differ in version.
 */

type Json = Record<string, unknown>;

interface OverrideContext {
  zodSchema: { _zod: { def: ZodDef } };
  jsonSchema: Json;
  path?: (string | number)[];
}

interface ZodDef {
  type: string;
  catchall?: { _zod: { def: ZodDef } };
  out?: { _zod: { def: ZodDef } };
  checks?: { _zod?: { def?: { check?: string } } }[];
}

interface ToJsonParams {
  target: 'draft-2020-12';
  io: 'input';
  unrepresentable: 'any';
  override(ctx: OverrideContext): void;
}

type ToJson = (params: ToJsonParams) => Json;
type ZodToJson = (schema: unknown, params: ToJsonParams) => Json;

/** What zod converted, and the dotted paths whose values the JSON Schema cannot check, with why. */
export interface ZodJsonSchema {
  schema: Json;
  unchecked: { path: string; reason: string }[];
}

/** Types JSON cannot hold or JSON Schema cannot describe: zod writes `{}` (anything) for them. */
const OPAQUE: Record<string, string> = {
  transform: 'a transform accepts anything',
  custom: 'a custom type (z.custom, z.instanceof) is not expressible',
  date: 'a Date is not a JSON value',
  bigint: 'a bigint is not a JSON value',
  map: 'a Map is not a JSON value',
  set: 'a Set is not a JSON value',
  symbol: 'a symbol is not a JSON value',
  function: 'a function is not a JSON value',
  promise: 'a promise is not a JSON value',
};

/** `properties/db/properties/port` -> `db.port`; records and arrays as `*`, unions transparent. */
export function dottedPath(path: readonly (string | number)[] | undefined): string {
  const out: string[] = [];
  const keys = path ?? [];
  for (let i = 0; i < keys.length; i++) {
    const key = String(keys[i]);
    if (key === 'properties' || key === 'patternProperties' || key === '$defs') out.push(String(keys[++i]));
    else if (key === 'additionalProperties' || key === 'items') out.push('*');
    else if (key === 'prefixItems') out.push(String(keys[++i]));
    else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') i++;
  }
  return out.join('.') || '(root)';
}

function uncheckedReason(def: ZodDef): string | undefined {
  const opaque = OPAQUE[def.type];
  if (opaque) return opaque;
  if (def.type === 'pipe' && def.out && def.out._zod.def.type !== 'transform') {
    return 'only the input of .pipe() is checked';
  }
  if (def.checks?.some((c) => c._zod?.def?.check === 'custom')) return 'a refinement is not checked';
  return undefined;
}

/**
 * Per node, with the zod schema at hand: undeclared keys are refused where the object is not open
 * (zod leaves a plain `z.object` open in input mode, as parsing strips unknown keys), `secret` is
 * not a JSON Schema keyword, and what cannot be checked is noted.
 */
function overrideFor(unchecked: ZodJsonSchema['unchecked']) {
  return (ctx: OverrideContext): void => {
    const def = ctx.zodSchema._zod.def;
    const json = ctx.jsonSchema;
    if (def.type === 'object' && def.catchall === undefined && json.additionalProperties === undefined) {
      json.additionalProperties = false;
    }
    delete json.secret;
    const reason = uncheckedReason(def);
    const path = dottedPath(ctx.path);
    if (reason && !unchecked.some((u) => u.path === path && u.reason === reason)) {
      unchecked.push({ path, reason });
    }
  };
}

/** zod's `toJSONSchema` as the loader module resolves it; undefined when it resolves no zod. */
async function loaderZod(loader: string | undefined, cwd: string): Promise<ZodToJson | undefined> {
  if (loader === undefined) return undefined;
  try {
    const entry = createRequire(resolve(cwd, loader)).resolve('zod');
    const zod = (await import(pathToFileURL(entry).href)) as { toJSONSchema?: unknown; default?: unknown };
    const fn = zod.toJSONSchema ?? (zod.default as { toJSONSchema?: unknown } | undefined)?.toJSONSchema;
    return typeof fn === 'function' ? (fn as ZodToJson) : undefined;
  } catch {
    return undefined;
  }
}

/** The converter for `schema`: its own method, else the loader's zod bound to it. */
async function converterFor(schema: unknown, loader: string | undefined, cwd: string): Promise<ToJson> {
  const own = (schema as { toJSONSchema?: unknown }).toJSONSchema;
  if (typeof own === 'function') return (params) => (own as ToJson).call(schema, params);
  const fromLoader = await loaderZod(loader, cwd);
  if (fromLoader) return (params) => fromLoader(schema, params);
  throw new ConfigError(
    'USAGE',
    'the schema has no toJSONSchema() and the loader module resolves no zod with toJSONSchema: zod 4 is needed',
  );
}

/** The schema's input side as JSON Schema (draft 2020-12), with what it leaves unchecked. */
export async function zodToJsonSchema(
  schema: unknown,
  loader: string | undefined,
  cwd: string,
): Promise<ZodJsonSchema> {
  const convert = await converterFor(schema, loader, cwd);
  const unchecked: ZodJsonSchema['unchecked'] = [];
  const params: ToJsonParams = {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: overrideFor(unchecked),
  };
  let json: Json;
  try {
    json = convert(params);
  } catch (err) {
    throw new ConfigError(
      'USAGE',
      `zod could not convert the schema to JSON Schema: ${(err as Error).message}`,
    );
  }
  // A plain copy: zod may share one object between places, and the layer pass rewrites per place.
  return { schema: JSON.parse(JSON.stringify(json)) as Json, unchecked: unchecked.reverse() };
}
