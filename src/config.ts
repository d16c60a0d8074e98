import type { core } from 'zod';
import { type CacheEntry, cacheGeneration, cacheKey, entryFor, isFresh, loadEntry } from './cache.js';
import { ConfigError } from './errors.js';
import type { ConfigDefinition, ConfigOf, LambdaContextLike, LoadOptions } from './types.js';

function checkOptions(options: LoadOptions): void {
  const { overrides, unknownKeys, maxAge } = options;
  if (overrides !== undefined && overrides !== 'warn' && overrides !== 'error' && overrides !== 'ignore') {
    throw new ConfigError('USAGE', `overrides must be 'warn', 'error' or 'ignore'`);
  }
  if (
    unknownKeys !== undefined &&
    unknownKeys !== 'warn' &&
    unknownKeys !== 'error' &&
    unknownKeys !== 'ignore'
  ) {
    throw new ConfigError('USAGE', `unknownKeys must be 'warn', 'error' or 'ignore'`);
  }
  if (maxAge !== undefined && (typeof maxAge !== 'number' || Number.isNaN(maxAge) || maxAge < 0)) {
    throw new ConfigError('USAGE', 'maxAge must be a number of milliseconds, 0 or more');
  }
}

/**
 * Loads the layered config: sources load concurrently, merge in order (later wins) under the
 * override rules, the schema validates, and the deep-frozen result is cached. A warm call with
 * equivalent options (even rebuilt inside the handler) returns the same object without I/O.
 *
 * @example
 * ```ts
 * const schema = z.object({ db: z.object({ host: z.string(), port: z.number() }) });
 * export const handler = async (event, context) => {
 *   const config = await loadConfig({
 *     schema,
 *     context,
 *     sources: [fromFile('config.json5'), fromS3('s3://my-bucket/prod.json5'), fromEnv({ prefix: 'APP_' })],
 *   });
 *   return config.db.host;
 * };
 * ```
 */
export async function loadConfig<S extends core.$ZodType | undefined = undefined>(
  options: LoadOptions<S>,
): Promise<ConfigOf<S>> {
  // The schema typed the sources (fromEnv map paths); past the call, options are options.
  const plain = options as unknown as LoadOptions;
  const entry = entryFor(cacheKey(plain), plain);
  if (isFresh(entry, plain.maxAge)) return entry.current?.config as ConfigOf<S>;
  checkOptions(plain);
  return (await loadEntry(entry, plain)).config as ConfigOf<S>;
}

/**
 * Declares the config once, at module scope, and loads it in the handler. The cache key is computed
 * here, so a warm `load()` is a freshness check and nothing else.
 *
 * @example
 * ```ts
 * const config = defineConfig({ schema, sources: [fromFile('config.json5'), fromEnv({ prefix: 'APP_' })] });
 * export const handler = async (event, context) => {
 *   const { db } = await config.load({ context });
 * };
 * ```
 */
export function defineConfig<S extends core.$ZodType | undefined = undefined>(
  options: LoadOptions<S>,
): ConfigDefinition<S> {
  const plain = options as unknown as LoadOptions;
  const key = cacheKey(plain);
  checkOptions(plain);
  let entry: CacheEntry | undefined;
  let seenGeneration = -1;
  return {
    options,
    async load(extra?: { context?: LambdaContextLike }): Promise<ConfigOf<S>> {
      if (seenGeneration !== cacheGeneration() || entry?.current === undefined) {
        entry = entryFor(key, plain);
        seenGeneration = cacheGeneration();
      }
      if (isFresh(entry, options.maxAge)) return entry.current?.config as ConfigOf<S>;
      return (await loadEntry(entry, plain, extra?.context)).config as ConfigOf<S>;
    },
  };
}
