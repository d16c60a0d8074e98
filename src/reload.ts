import { type CacheEntry, forgetEntry } from './cache.js';
import { type LoadResult, runLoad } from './load-config.js';
import { defaultLogger } from './logger.js';
import { failureFactsOf, maxAgeSpread, recoverable, recoveryAt, servesLastGood } from './outcome.js';
import type { LambdaContextLike, LoadOptions } from './types.js';

/**
 * When a cached entry loads again, and how much of it: every layer after `maxAge` (at a moment
 * stretched by the entry's spread); only the missing or stale layers when a recovery is due; only
 * the layers a `refresh()` names. One load is in flight per entry, shared by its callers; a failed
 * reload serves the last good config.
 */

/** What a forced load reads: the named sources, or all of them. */
export type Forced = ReadonlySet<string> | 'all';

/** True when `maxAge` (stretched by the entry's spread) has passed since every layer was read. */
function expired(entry: CacheEntry, maxAge: number | undefined): boolean {
  return (
    maxAge !== undefined &&
    maxAge !== Number.POSITIVE_INFINITY &&
    Date.now() - entry.loadedAt >= maxAge * entry.spread
  );
}

/**
 * True when the entry's config may be served without I/O: loaded, within `maxAge`, and no
 * recovery of a missing or stale layer due. The warm path: with `maxAge` Infinity and every layer
 * read, it reads no clock.
 */
export function isFresh(entry: CacheEntry, maxAge: number | undefined): boolean {
  if (entry.current === undefined) return false;
  if (entry.retryAt !== undefined && Date.now() >= entry.retryAt) return false;
  return !expired(entry, maxAge);
}

/** The sources a load reads: all (`undefined`) after `maxAge` or when forced so; else the named or recoverable ones. */
function toReread(
  entry: CacheEntry,
  maxAge: number | undefined,
  forced?: Forced,
): ReadonlySet<string> | undefined {
  if (entry.current === undefined || forced === 'all') return undefined;
  if (forced !== undefined) return forced;
  return expired(entry, maxAge) ? undefined : recoverable(entry.current.degraded);
}

/** True when the load in flight reads (at least) every source `forced` names. */
function covers(entry: CacheEntry, forced: Forced): boolean {
  const reading = entry.inflightReads;
  if (reading === undefined) return true;
  return forced !== 'all' && [...forced].every((name) => reading.has(name));
}

/**
 * Loads or reloads the entry, sharing one load among concurrent callers. `forced` (a `refresh()`)
 * reads those sources now, whatever `maxAge` or a recovery window says; a load in flight that
 * reads them is shared, one that does not is waited for first.
 */
export function loadEntry(
  entry: CacheEntry,
  options: LoadOptions,
  context?: LambdaContextLike,
  forced?: Forced,
): Promise<LoadResult> {
  if (entry.inflight) {
    if (forced === undefined || covers(entry, forced)) return entry.inflight;
    return entry.inflight.then(
      () => loadEntry(entry, options, context, forced),
      () => loadEntry(entry, options, context, forced),
    );
  }
  const reread = toReread(entry, options.maxAge, forced);
  const logger = options.logger ?? defaultLogger;
  const run = runLoad(
    { ...entry.options, logger, context: context ?? options.context },
    entry.current,
    reread,
  );
  entry.inflightReads = reread;
  entry.inflight = run.then(
    (result) => settled(entry, result, reread === undefined),
    (err: unknown) => failed(entry, err, reread === undefined, logger),
  );
  return entry.inflight;
}

function settled(entry: CacheEntry, result: LoadResult, everyLayer: boolean): LoadResult {
  entry.current = result;
  const now = Date.now();
  if (everyLayer) {
    entry.loadedAt = now;
    entry.spread = maxAgeSpread();
  }
  entry.retryAt = recoveryAt(result.degraded, now);
  entry.inflight = undefined;
  entry.inflightReads = undefined;
  return result;
}

function failed(
  entry: CacheEntry,
  err: unknown,
  everyLayer: boolean,
  logger: NonNullable<LoadOptions['logger']>,
): LoadResult {
  entry.inflight = undefined;
  entry.inflightReads = undefined;
  const stale = entry.current;
  if (!servesLastGood(stale)) {
    // A failed first load is not cached: the next call tries again.
    forgetEntry(entry);
    throw err;
  }
  const now = Date.now();
  if (everyLayer) entry.loadedAt = now;
  // A reload that failed for a reason that may pass is tried again within a minute, as a layer is.
  const facts = failureFactsOf(err);
  entry.retryAt = recoveryAt(facts?.transient ? [facts] : stale.degraded, now);
  const code = (err as { code?: unknown }).code;
  logger.warn(`reload failed, serving the last good config: ${(err as Error).message}`, {
    code: 'RELOAD_FAILED',
    cause: typeof code === 'string' ? code : 'UNKNOWN',
  });
  return stale;
}
