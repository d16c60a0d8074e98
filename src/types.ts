import type { core } from 'zod';

/**
 * Where warnings go: anything with a `warn(message, details)` method. `console` fits, and so does a
 * Powertools for AWS Lambda `Logger` (its `warn(input, ...extraInput)` merges `details` into the log
 * item). For pino, whose methods take the object first, pass
 * `{ warn: (message, details) => pino.warn(details, message) }`.
 *
 * @example
 * ```ts
 * import { Logger } from '@aws-lambda-powertools/logger';
 * const logger = new Logger({ serviceName: 'orders' });
 * const config = defineConfig({ schema, logger, sources: [fromFile('config.json5'), fromEnv({ prefix: 'APP_' })] });
 * export const handler = async (event, context) => (await config.load({ context })).db;
 * ```
 */
export interface Logger {
  /**
   * Called once for each warning. `details.code` is stable (`SOURCE_DROPPED`, `UNEXPECTED_OVERRIDE`,
   * `RELOAD_FAILED`, ...), so it can be filtered and alarmed on; the other keys depend on the code.
   * `details` is always given: a logger declared as `warn(message: string, details?: object)` fits too.
   */
  warn(message: string, details: { code: string; [key: string]: unknown }): void;
}

/**
 * The slice of the Lambda context strataconf uses, so a load never outlives the invocation. The
 * `context` argument of a Lambda handler fits as it is.
 *
 * @example
 * ```ts
 * export const handler = async (event: unknown, context: LambdaContextLike) => {
 *   const config = await definition.load({ context }); // gives up shortly before the invocation's deadline
 * };
 * ```
 */
export interface LambdaContextLike {
  /** Milliseconds left before Lambda ends the invocation. */
  getRemainingTimeInMillis(): number;
}

/** What the pipeline hands to `Source.load`; see {@link Source} for an example that uses it. */
export interface SourceContext {
  /** Aborted when the load must give up (the Lambda deadline is near). Pass it on to I/O. */
  signal: AbortSignal;
  /** Warnings for the load's logger, for sources that have something to say. */
  logger: Logger;
  /**
   * When the load gives up (`Date.now()` clock): shortly before the Lambda deadline when the load
   * was given a Lambda `context`; absent otherwise. A source that retries stops waiting before it.
   */
  deadline?: number;
}

/**
 * One layer of configuration. Write your own by returning this shape.
 *
 * `load` resolves the layer's object, or `undefined` when the source is simply absent; it throws a
 * `ConfigError` when the source exists but is broken (for example `PARSE_ERROR`). An optional source
 * that is absent is dropped with a warning; a required one fails the load with `SOURCE_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * const fromSsm: Source = { name: 'ssm:/my-app', optional: true, load: async () => fetchParams() };
 * export const handler = async () => (await loadConfig({ sources: [fromFile('config.json5'), fromSsm] })).db;
 * ```
 */
export interface Source<P extends string = never> {
  /** Shown in warnings, errors and `explainConfig`. */
  name: string;
  /**
   * The dotted paths the source sets by name (`fromEnv`'s `map` keys), so that `loadConfig` and
   * `defineConfig` with a schema refuse, at compile time, a path the schema does not declare.
   * @default none
   */
  readonly mapPaths?: readonly P[];
  /** When true, an absent source is dropped with a warning instead of failing the load. @default false */
  optional?: boolean;
  /**
   * When false, the source is skipped without a word and appears nowhere (no warning, no
   * provenance): for a layer that exists only in some places, such as a local file on a laptop.
   * @default true
   * @example `fromFile('config.local.json5', { optional: true, enabled: !process.env.AWS_LAMBDA_FUNCTION_NAME })`
   */
  enabled?: boolean;
  /** Reads the layer. Sources load concurrently; they merge in the order given. */
  load(ctx: SourceContext): Promise<object | undefined>;
}

/**
 * How a layer that replaces an unmarked value with a different one is treated: `'warn'` writes an
 * `UNEXPECTED_OVERRIDE` warning, `'error'` fails the load with `OVERRIDE_FORBIDDEN` (listing every
 * such path), `'ignore'` is silent. Values marked `{ $default }` or `{ $override }` are always
 * replaced silently.
 *
 * @default 'warn'
 * @example
 * ```ts
 * // In production, only values the blueprint marks may be replaced.
 * const config = defineConfig({ overrides: 'error', schema, sources: [fromFile('config.json5'), fromS3('s3://my-app/prod.json5')] });
 * export const handler = async (event, context) => (await config.load({ context })).db;
 * ```
 */
export type OverridePolicy = 'warn' | 'error' | 'ignore';

/**
 * Options of `loadConfig` and `defineConfig`. Only `sources` is required.
 *
 * @example
 * ```ts
 * const config = defineConfig({
 *   schema,                                   // zod v4: validates, and types the result
 *   sources: [fromFile('config.json5'), fromS3('s3://my-app-config/prod.json5'), fromEnv({ prefix: 'APP_' })],
 *   logger,                                   // e.g. a Powertools Logger; default: console.warn
 *   overrides: 'warn',
 *   maxAge: 5 * 60_000,                       // reload at most every 5 minutes on a warm container
 * });
 * export const handler = async (event, context) => {
 *   const { db } = await config.load({ context });
 * };
 * ```
 */
export interface LoadOptions<S extends core.$ZodType | undefined = core.$ZodType | undefined> {
  /**
   * The layers, lowest precedence first: a later source's values win. Required. With a schema, a
   * `fromEnv` map path the schema does not declare is a compile error.
   */
  sources: readonly Source<SchemaPath<S>>[];
  /**
   * A zod v4 schema the merged config must pass; its output is the result (defaults, transforms).
   * @default none: the merged object is returned as it is, typed `Record<string, unknown>`
   */
  schema?: S;
  /** Where warnings go. @default a logger writing one line per warning with `console.warn` */
  logger?: Logger;
  /** What to do when a layer replaces an unmarked value with a different one. @default 'warn' */
  overrides?: OverridePolicy;
  /**
   * What to do with a key a layer sets that the schema does not declare (a typo zod would drop in
   * silence): `'warn'` writes one `UNKNOWN_KEY` warning per key, naming the source and the nearest
   * declared key; `'error'` fails the load with `UNKNOWN_KEY`, listing them all; `'ignore'` skips the
   * check. Open shapes (`z.looseObject`, `.catchall()`, `z.record`, `z.any()`, `z.unknown()`) declare
   * any key. Without a schema there is nothing to check.
   * @default 'warn'
   * @example
   * ```ts
   * // db.hots from s3://my-app/prod.json5 is not in the schema; did you mean db.host?
   * const config = defineConfig({ schema, unknownKeys: 'error', sources: [fromFile('config.json5'), fromS3('s3://my-app/prod.json5')] });
   * export const handler = async (event, context) => (await config.load({ context })).db;
   * ```
   */
  unknownKeys?: 'warn' | 'error' | 'ignore';
  /**
   * How long (ms) a loaded config is served before the next call reloads it; each environment
   * reloads at a moment drawn between `maxAge` and 1.1 x `maxAge`, so a fleet that started together
   * does not reload together. Whatever it says, a remote layer dropped (or kept stale) for a reason
   * that may pass (throttling, a 5xx, the network, a timeout) is read again by a call 10-60 s later.
   * @default Infinity
   */
  maxAge?: number;
  /**
   * The Lambda context of the invocation: the load gives up before the function's remaining time
   * runs out, instead of turning a slow source into a Lambda timeout. Not part of the cache key.
   * @default none: a load is bounded only by each source's own timeout
   */
  context?: LambdaContextLike;
}

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** The dotted paths a schema's input declares; any string without a schema. */
type SchemaPath<S> = S extends core.$ZodType ? ConfigPath<core.input<S>> : string;

/**
 * The dotted paths of the objects in `T` (`'db' | 'db.host' | 'db.port'`), for `fromEnv`'s `map`:
 * arrays and scalars end a path; a record or `unknown` allows any path below it.
 *
 * @example
 * ```ts
 * type Paths = ConfigPath<z.input<typeof schema>>; // 'db' | 'db.host' | 'db.password' | ...
 * const map: Partial<Record<Paths, string>> = { 'db.password': 'DB_PASSWORD' };
 * export const handler = async () => loadConfig({ schema, sources: [fromEnv({ map })] });
 * ```
 */
export type ConfigPath<T, Depth extends readonly unknown[] = []> = Depth['length'] extends 12
  ? string
  : unknown extends T
    ? string
    : T extends Primitive | readonly unknown[] | ((...args: never[]) => unknown) | Date | RegExp
      ? never
      : T extends object
        ? string extends keyof T
          ? string
          : {
              [K in keyof T & string]-?: K | `${K}.${ConfigPath<NonNullable<T[K]>, [...Depth, unknown]>}`;
            }[keyof T & string]
        : never;

/**
 * `T` with every object and array made readonly, all the way down: the type of a loaded config,
 * which is deep-frozen at run time too.
 *
 * @example
 * ```ts
 * type Db = DeepReadonly<{ hosts: string[] }>; // { readonly hosts: readonly string[] }
 * ```
 */
export type DeepReadonly<T> = unknown extends T
  ? T
  : T extends Primitive | ((...args: never[]) => unknown) | Date | RegExp
    ? T
    : T extends readonly (infer E)[]
      ? readonly DeepReadonly<E>[]
      : { readonly [K in keyof T]: DeepReadonly<T[K]> };

/**
 * The config type a schema yields: its output (zod defaults applied), deeply readonly; a plain
 * record without a schema. Name it once and pass it to the code the handler calls.
 *
 * @example
 * ```ts
 * export type AppConfig = ConfigOf<typeof schema>;
 * export const handler = async (event, context) => process(event, await config.load({ context }));
 * function process(event: unknown, config: AppConfig) { return config.db.host; }
 * ```
 */
export type ConfigOf<S> = S extends core.$ZodType
  ? DeepReadonly<core.output<S>>
  : DeepReadonly<Record<string, unknown>>;

/** Where one leaf of a loaded config came from: a row of {@link explainConfig}'s answer. */
export interface Provenance {
  /** Keys from the root to the leaf. */
  path: string[];
  /** The leaf's value in the loaded config; `"[redacted]"` for a secret unless `showSecrets` is set. */
  value: unknown;
  /** Name of the source that set it; `schema` for a value that only the schema supplied (a zod default). */
  source: string;
  /** Earlier sources whose value it replaced, `$default` values and `$override` markers included. */
  overridden: string[];
  /**
   * Which version of `source` supplied the value, when the source knows it (an S3 layer:
   * `ETag "…"`, plus `versionId …` for a versioned object). Absent otherwise. Not enumerable, so a
   * row's own keys (and its JSON) stay `path`, `value`, `source`, `overridden`.
   */
  sourceVersion?: string;
}

/**
 * What `defineConfig` returns: the options, and a `load` that is cached per definition. Declare it at
 * module scope (the cold start), call `load` in the handler (each invocation).
 *
 * @example
 * ```ts
 * export const config = defineConfig({ schema, sources: [fromFile('config.json5'), fromEnv({ prefix: 'APP_' })] });
 * export const handler = async (event, context) => {
 *   const { db } = await config.load({ context });
 * };
 * ```
 */
export interface ConfigDefinition<S extends core.$ZodType | undefined = core.$ZodType | undefined> {
  /** The options given to `defineConfig` (the CLI's `--loader` and `strataconf/testing` read them). */
  readonly options: LoadOptions<S>;
  /** Loads (first call, or after `maxAge`) or returns the cached config; no I/O on a warm call. */
  load(overrides?: { context?: LambdaContextLike }): Promise<ConfigOf<S>>;
  /**
   * Reads the named layers again now, whatever `maxAge` says (all of them when `sources` is
   * omitted), merges, validates and returns the config; the other layers keep what they last read.
   * For a secret rotated under a running function: a login fails, the handler refreshes the
   * secret's layer and retries once. Remote layers revalidate (an S3 ETag, AppConfig's empty answer,
   * the same secret version), so an unchanged layer is cheap and the same config object comes back.
   * Shares a load in flight that reads those layers. An unknown name is a `USAGE` error listing the
   * definition's source names.
   *
   * @example
   * ```ts
   * export const handler = async (event, context) => {
   *   let config = await definition.load({ context });
   *   try {
   *     return await query(config.db, event);
   *   } catch (err) {
   *     if (!isAuthError(err)) throw err;
   *     config = await definition.refresh({ sources: ['secret:orders/prod/db'], context });
   *     return await query(config.db, event); // once, with the rotated password
   *   }
   * };
   * ```
   */
  refresh(opts?: { sources?: readonly string[]; context?: LambdaContextLike }): Promise<ConfigOf<S>>;
  /**
   * Calls `listener` after every load of this definition that produced a new config object (a
   * reload after `maxAge`, a recovered layer, a `refresh()`; not the first load), with the leaf
   * paths that were added, removed or changed and the sources whose layers changed. A listener that
   * throws is reported as a `CHANGE_LISTENER_FAILED` warning; the load goes on. Returns a function
   * that unsubscribes.
   *
   * @example
   * ```ts
   * definition.onChange(({ paths }) => {
   *   if (paths.some(([top]) => top === 'db')) pool.end(); // the next query opens a pool with the new password
   * });
   * ```
   */
  onChange(listener: (change: ConfigChange<ConfigOf<S>>) => void): () => void;
}

/** What an `onChange` listener is told: the new config, the one it replaces, and what changed. */
export interface ConfigChange<C = unknown> {
  /** The config now served. */
  config: C;
  /** The config it replaced. */
  previous: C;
  /** The leaves added, removed or changed, as keys from the root (an array is one leaf). */
  paths: string[][];
  /** The names of the sources whose layers changed. */
  sources: string[];
}

/**
 * A marker in value position of a layer: `{ $override: 'why and where to set it' }` (a later
 * layer must set the value) or `{ $default: value }` (a later layer may replace it silently).
 *
 * @example
 * ```ts
 * const port: LayerMarker<number> = { $default: 5432 };
 * ```
 */
export type LayerMarker<T> =
  | {
      /** Why the value is needed and where to set it; the load fails when no later layer sets it. */
      $override: string;
    }
  | {
      /** The value, used unless a later layer replaces it (silently). */
      $default: LayerValue<T>;
    };

/**
 * What a layer may hold where the config has a `T`: `T` itself, a marker, and for an object, any
 * part of it (every key optional, each value again a {@link LayerValue}). Arrays are whole values.
 *
 * @example
 * ```ts
 * const db: LayerValue<{ host: string; port: number }> = { port: { $default: 5432 } };
 * ```
 */
export type LayerValue<T> = unknown extends T
  ? unknown
  : T extends Primitive | ((...args: never[]) => unknown) | Date | RegExp | readonly unknown[]
    ? T | LayerMarker<T>
    : { [K in keyof T]?: LayerValue<T[K]> } | LayerMarker<T>;

/**
 * The type of one layer of a definition (or of a zod schema): a deep-partial of the schema's
 * input, each value optionally a marker, plus the `$schema` key editors read. Give it to
 * `fromObject` so a layer written in code is checked at compile time, as `strataconf check` checks
 * a file.
 *
 * @example
 * ```ts
 * export const config = defineConfig({ schema, sources: [fromFile('config.json5'), fromEnv({ prefix: 'APP_' })] });
 * const defaults = fromObject<LayerOf<typeof config>>({ db: { port: { $default: 5432 } } });
 * export const handler = async () => (await loadConfig({ schema, sources: [defaults, ...config.options.sources] })).db;
 * ```
 */
export type LayerOf<D> =
  D extends ConfigDefinition<infer S>
    ? S extends core.$ZodType
      ? LayerOf<S>
      : Record<string, unknown>
    : D extends core.$ZodType
      ? { [K in keyof core.input<D>]?: LayerValue<core.input<D>[K]> } & {
          /** The JSON Schema editors check a layer file with; strataconf ignores it. */
          $schema?: string;
        }
      : never;
