import { ConfigError } from './errors.js';
import { type LoadResult, runLoad } from './load-config.js';
import { defaultLogger } from './logger.js';
import { type KeyedSource, SOURCE_KEY } from './sources/internal.js';
import { identity } from './sources/object.js';
import type { LambdaContextLike, LoadOptions, Source } from './types.js';

/**
 * The module-scope cache: one entry per definition (sources + schema + override policy), one
 * in-flight load shared by concurrent callers, `maxAge`, and the last good config kept when a
 * reload fails. Nothing runs at import time.
 */

export interface Entry {
  readonly key: string;
  /** The options of the first caller: their sources keep what a reload compares against. */
  readonly options: LoadOptions;
  current?: LoadResult;
  loadedAt: number;
  inflight?: Promise<LoadResult>;
}

const entries = new Map<string, Entry>();
let generation = 0;

/** Forgets every cached config; a load in flight finishes for its callers but is not kept. */
export function resetConfigCache(): void {
  entries.clear();
  generation++;
}

export function cacheGeneration(): number {
  return generation;
}

function sourceKey(source: Source): string {
  const own = (source as Partial<KeyedSource>)[SOURCE_KEY];
  return `${own ?? `source#${identity(source)}`}${source.optional ? '?' : '!'}`;
}

/** Kind and location of each source, the schema's identity and the override policy; never contents of files. */
export function cacheKey(options: LoadOptions): string {
  if (!options || !Array.isArray(options.sources)) {
    throw new ConfigError('USAGE', 'loadConfig needs options with a sources array');
  }
  let key = `${options.schema === undefined ? '-' : identity(options.schema)}|${options.overrides ?? 'warn'}`;
  for (const source of options.sources) {
    if (typeof source?.load !== 'function' || typeof source.name !== 'string') {
      throw new ConfigError('USAGE', 'every source needs a name and a load function');
    }
    key += `\n${sourceKey(source)}`;
  }
  return key;
}

export function entryFor(key: string, options: LoadOptions): Entry {
  let entry = entries.get(key);
  if (entry === undefined) {
    entry = { key, options, loadedAt: 0 };
    entries.set(key, entry);
  }
  return entry;
}

/** True when the entry's config may be served without I/O. */
export function isFresh(entry: Entry, maxAge: number | undefined): boolean {
  if (entry.current === undefined) return false;
  return maxAge === undefined || maxAge === Number.POSITIVE_INFINITY || Date.now() - entry.loadedAt < maxAge;
}

/** Loads or reloads the entry, sharing one load among concurrent callers. */
export function refresh(
  entry: Entry,
  options: LoadOptions,
  context?: LambdaContextLike,
): Promise<LoadResult> {
  if (entry.inflight) return entry.inflight;
  const logger = options.logger ?? defaultLogger;
  const run = runLoad({ ...entry.options, logger, context: context ?? options.context }, entry.current);
  entry.inflight = run.then(
    (result) => {
      entry.current = result;
      entry.loadedAt = Date.now();
      entry.inflight = undefined;
      return result;
    },
    (err: unknown) => {
      entry.inflight = undefined;
      const stale = entry.current;
      if (stale === undefined) {
        // A failed first load is not cached: the next call tries again.
        if (entries.get(entry.key) === entry) entries.delete(entry.key);
        throw err;
      }
      entry.loadedAt = Date.now();
      const code = (err as { code?: unknown }).code;
      logger.warn(`reload failed, serving the last good config: ${(err as Error).message}`, {
        code: 'RELOAD_FAILED',
        cause: typeof code === 'string' ? code : 'UNKNOWN',
      });
      return stale;
    },
  );
  return entry.inflight;
}
