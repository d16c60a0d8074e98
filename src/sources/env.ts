import { describe, type EnvDescriptor, variablesRead } from '../descriptor.js';
import { envLayer } from '../env.js';
import { ConfigError } from '../errors.js';
import { checkEnabled, DEFERRED, type DeferredLayer } from '../layer-meta.js';
import type { Source } from '../types.js';

/** Options of {@link fromEnv}. A `prefix`, a `map`, or both, are required. */
export interface FromEnvOptions<M extends Record<string, string> = Record<string, string>> {
  /** Reads variables starting with it: `APP_DB__HOST` sets `db.host` with the prefix `APP_`. @default none (then `map` is required) */
  prefix?: string;
  /** Splits the rest of a variable's name into path segments. @default '__' */
  separator?: string;
  /** Single variables to dotted paths, prefix or not: `{ 'db.password': 'DB_PASSWORD' }`. @default none (then `prefix` is required) */
  map?: M;
  /**
   * Where to read variables from. The variables it holds under the prefix (and the map's variables)
   * are part of the cache key, so two definitions given different `env` objects never share a
   * config, while one rebuilt with the same variables still hits the cache. `process.env` (the
   * default, or given here) contributes no values: a Lambda's environment does not change.
   * @default process.env, read when the load runs
   */
  env?: Record<string, string | undefined>;
  /**
   * When false, the source is skipped without a word and appears nowhere (no warning, no
   * provenance): for a layer that exists only in some places. @default true
   */
  enabled?: boolean;
}

/**
 * Environment variables as the last layer. Names map onto the keys the schema and the lower layers
 * have (case-insensitive, ignoring `_` and `-`; else camelCase); values are coerced to the type the
 * schema (else the lower layer) expects. Resolved at merge time, against what is below.
 *
 * @example
 * ```ts
 * // APP_DB__PORT=5433 sets db.port to the number 5433
 * export const handler = async () => loadConfig({ schema, sources: [fromFile('config.json5'), fromEnv({ prefix: 'APP_' })] });
 * ```
 */
export function fromEnv<M extends Record<string, string> = Record<string, string>>(
  opts: FromEnvOptions<M>,
): Source<MapPaths<M>> {
  const { prefix, map, env } = opts ?? {};
  const separator = opts?.separator ?? '__';
  if ((prefix === undefined || prefix === '') && (map === undefined || Object.keys(map).length === 0)) {
    throw new ConfigError(
      'USAGE',
      'fromEnv needs a prefix or a map: reading all of process.env into config is a bug',
    );
  }
  if (separator === '') throw new ConfigError('USAGE', 'fromEnv: the separator must not be empty');
  checkEnabled('fromEnv', opts.enabled);
  for (const [path, variable] of map === undefined ? [] : Object.entries(map)) {
    if (typeof variable !== 'string' || variable === '' || path === '') {
      throw new ConfigError('USAGE', `fromEnv: the map entry for "${path}" must name a variable`);
    }
  }
  const mapping = { prefix: prefix || undefined, separator, map };
  let last: { snapshot: Record<string, string>; layer: DeferredLayer } | undefined;
  const source: Source = {
    name: prefix ? `env:${prefix}` : 'env',
    optional: false,
    ...(opts.enabled === undefined ? {} : { enabled: opts.enabled }),
    async load() {
      // The variables this source reads, copied now: later changes to the environment do not leak in.
      const snapshot = variablesRead(env ?? process.env, mapping.prefix, map);
      if (last && sameVars(last.snapshot, snapshot)) return last.layer;
      const layer: DeferredLayer = {
        [DEFERRED]: true,
        resolve: (ctx) => envLayer(snapshot, mapping, ctx),
      };
      last = { snapshot, layer };
      return layer;
    },
  };
  if (map !== undefined) (source as { mapPaths?: readonly string[] }).mapPaths = Object.keys(map);
  // Built by assignment, not spreads: a handler may build its sources on every invocation.
  const descriptor: EnvDescriptor = { store: 'env', separator };
  if (mapping.prefix !== undefined) descriptor.prefix = mapping.prefix;
  if (map !== undefined) descriptor.map = map;
  if (env !== undefined) descriptor.env = env;
  return describe(source, descriptor) as Source<string> as Source<MapPaths<M>>;
}

/** The paths of a map written out (`{ 'db.password': ... }`); none for a map built at run time. */
type MapPaths<M> = string extends keyof M ? never : keyof M & string;

function sameVars(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
