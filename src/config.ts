import type { core } from 'zod';
import { type CacheEntry, cacheGeneration, cacheKey, entryFor } from './cache.js';
import { changedPaths, changedSources, notify } from './change.js';
import { ConfigError } from './errors.js';
import type { LoadResult } from './load-config.js';
import { defaultLogger } from './logger.js';
import { type Forced, isFresh, loadEntry } from './reload.js';
import type { ConfigChange, ConfigDefinition, ConfigOf, LambdaContextLike, LoadOptions } from './types.js';

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
  // The load result this definition last handed out, and who to tell when the next one differs.
  let seen: LoadResult | undefined;
  const listeners = new Set<(change: ConfigChange<ConfigOf<S>>) => void>();

  function cached(): CacheEntry {
    if (seenGeneration !== cacheGeneration() || entry?.current === undefined) {
      entry = entryFor(key, plain);
      seenGeneration = cacheGeneration();
    }
    return entry;
  }

  /** Hands out `result`'s config, telling the listeners when it is a new one (not the first). */
  function deliver(result: LoadResult): ConfigOf<S> {
    const previous = seen;
    seen = result;
    if (previous !== undefined && previous.config !== result.config && listeners.size > 0) {
      notify(
        listeners,
        {
          config: result.config as ConfigOf<S>,
          previous: previous.config as ConfigOf<S>,
          paths: changedPaths(previous.config, result.config),
          sources: changedSources(plain.sources, previous, result),
        },
        plain.logger ?? defaultLogger,
      );
    }
    return result.config as ConfigOf<S>;
  }

  return {
    options,
    async load(extra?: { context?: LambdaContextLike }): Promise<ConfigOf<S>> {
      const current = cached();
      if (isFresh(current, options.maxAge)) {
        // The warm path: one comparison more, for a config another caller of this key loaded.
        const result = current.current as LoadResult;
        return result === seen ? (result.config as ConfigOf<S>) : deliver(result);
      }
      return deliver(await loadEntry(current, plain, extra?.context));
    },
    async refresh(opts?: { sources?: readonly string[]; context?: LambdaContextLike }): Promise<ConfigOf<S>> {
      const forced = namedSources(plain, opts?.sources);
      return deliver(await loadEntry(cached(), plain, opts?.context, forced));
    },
    onChange(listener) {
      if (typeof listener !== 'function') throw new ConfigError('USAGE', 'onChange expects a function');
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** The sources a `refresh()` reads: the names given (each one a source of the definition), else all. */
function namedSources(options: LoadOptions, names: readonly string[] | undefined): Forced {
  if (names === undefined) return 'all';
  const known = options.sources.filter((s) => s.enabled !== false).map((s) => s.name);
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw new ConfigError('USAGE', 'refresh: sources must be an array of source names');
  }
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    const list = unknown.map((n) => `"${n}"`).join(', ');
    throw new ConfigError(
      'USAGE',
      `refresh: ${unknown.length === 1 ? 'no source is named' : 'no sources are named'} ${list}; this definition's sources are ${known.map((n) => `"${n}"`).join(', ')}`,
      { unknown, sources: known },
    );
  }
  return new Set(names);
}
