import type { output, ZodType } from 'zod';

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

/** The slice of the Lambda context strataconf uses, so a load never outlives the invocation. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

/** What the pipeline hands to `Source.load`. */
export interface SourceContext {
  /** Aborted when the load must give up (the Lambda deadline is near). Pass it on to I/O. */
  signal: AbortSignal;
  /** Warnings for the load's logger, for sources that have something to say. */
  logger: Logger;
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
export interface Source {
  /** Shown in warnings, errors and `explainConfig`. */
  name: string;
  /** When true, an absent source is dropped with a warning instead of failing the load. @default false */
  optional?: boolean;
  /** Reads the layer. Sources load concurrently; they merge in the order given. */
  load(ctx: SourceContext): Promise<object | undefined>;
}

/** How a replaced, unmarked value is treated. */
export type OverridePolicy = 'warn' | 'error' | 'ignore';

/** Options of `loadConfig` and `defineConfig`. */
export interface LoadOptions<S extends ZodType | undefined = ZodType | undefined> {
  /** The layers, lowest precedence first: a later source's values win. */
  sources: readonly Source[];
  /** A zod v4 schema the merged config must pass; its output is the result (defaults, transforms). */
  schema?: S;
  /** Where warnings go. @default a logger writing one line per warning with `console.warn` */
  logger?: Logger;
  /** What to do when a layer replaces an unmarked value with a different one. @default 'warn' */
  overrides?: OverridePolicy;
  /** How long (ms) a loaded config is served before the next call reloads it. @default Infinity */
  maxAge?: number;
  /**
   * The Lambda context of the invocation: the load gives up before the function's remaining time
   * runs out, instead of turning a slow source into a Lambda timeout.
   */
  context?: LambdaContextLike;
}

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** `T` with every object and array made readonly, all the way down. */
export type DeepReadonly<T> = unknown extends T
  ? T
  : T extends Primitive | ((...args: never[]) => unknown) | Date | RegExp
    ? T
    : T extends readonly (infer E)[]
      ? readonly DeepReadonly<E>[]
      : { readonly [K in keyof T]: DeepReadonly<T[K]> };

/** The config type a set of options yields: the schema's output, or a plain record without one. */
export type ConfigOf<S> = S extends ZodType ? DeepReadonly<output<S>> : DeepReadonly<Record<string, unknown>>;

/** Where one leaf of a loaded config came from. */
export interface Provenance {
  /** Keys from the root to the leaf. */
  path: string[];
  /** The leaf's value in the loaded config. */
  value: unknown;
  /** Name of the source that set it; `schema` for a value that only the schema supplied (a zod default). */
  source: string;
  /** Earlier sources whose value it replaced, `$default` values and `$override` markers included. */
  overridden: string[];
  /**
   * Which version of `source` supplied the value, when the source knows it (an S3 layer:
   * `ETag "…"`, plus `versionId …` for a versioned object). Absent otherwise.
   */
  sourceVersion?: string;
}

/** What `defineConfig` returns: the options, and a `load` that is cached per definition. */
export interface ConfigDefinition<S extends ZodType | undefined = ZodType | undefined> {
  readonly options: LoadOptions<S>;
  /** Loads (first call, or after `maxAge`) or returns the cached config; no I/O on a warm call. */
  load(overrides?: { context?: LambdaContextLike }): Promise<ConfigOf<S>>;
}
