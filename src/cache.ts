import { sourceKey } from './descriptor.js';
import { ConfigError } from './errors.js';
import { identity } from './identity.js';
import type { LoadResult } from './load-config.js';
import { resetProcessState } from './process-state.js';
import type { LoadOptions, Source } from './types.js';

/**
 * The module-scope cache: one entry per definition (sources + schema + override policy), keyed
 * by what its sources read. When an entry loads again is reload.ts's part. Nothing runs at import
 * time.
 */

export interface CacheEntry {
  readonly key: number;
  /** The options of the first caller: their sources keep what a reload compares against. */
  readonly options: LoadOptions;
  current?: LoadResult;
  /** When every layer was last read (a recovery reads only some: it leaves this as it is). */
  loadedAt: number;
  /** `maxAge` is stretched by this factor (1 to 1.1), drawn at each full load. */
  spread: number;
  /**
   * When the layers the config lacks (or holds stale) for a reason that may pass are read again,
   * whatever `maxAge` says; absent when there are none.
   */
  retryAt?: number;
  inflight?: Promise<LoadResult>;
  /** The sources the load in flight reads again (absent: all of them). */
  inflightReads?: ReadonlySet<string>;
}

const entries = new Map<number, CacheEntry>();
let generation = 0;

/**
 * Forgets every cached config, for tests: the next load of every definition reads its sources
 * again. A load in flight finishes for its own callers but is not kept. The AWS clients strataconf
 * created and what its transport learnt (clock offsets, bucket regions) are forgotten too. `strataconf/testing`
 * exports the same function.
 *
 * @example
 * ```ts
 * // In the tests of a handler that loads through defineConfig or loadConfig:
 * afterEach(() => resetConfigCache()); // each test's invocation loads the layers it set up
 * ```
 */
export function resetConfigCache(): void {
  entries.clear();
  resetProcessState();
  generation++;
}

export function cacheGeneration(): number {
  return generation;
}

/**
 * Cache keys are numbers: the key parts (schema, override policy, each source's kind and location)
 * walk a tree of Maps and the node at the end holds the number. A warm `loadConfig` with options
 * rebuilt in the handler then looks up small numbers and strings whose hash V8 already keeps,
 * instead of building and hashing one long string on every call (~1 µs; see BENCHMARKS.md).
 * Numbers are never reused, so a key computed before `resetConfigCache()` still names the same
 * definition after it.
 */
interface KeyNode {
  next: Map<unknown, KeyNode>;
  key?: number;
}

const keyTree: KeyNode = { next: new Map() };
const sourceIds = new Map<string, number>();
let nextKey = 0;
/** A longer source key (`fromObject` content) is a part by itself rather than kept in `sourceIds`. */
const MAX_INTERNED_LENGTH = 512;

function child(node: KeyNode, part: unknown): KeyNode {
  let next = node.next.get(part);
  if (next === undefined) {
    next = { next: new Map() };
    node.next.set(part, next);
  }
  return next;
}

/** A source as one key part: its own key's number (or the key itself when long), or its identity. */
function sourcePart(source: Source): number | string {
  const own = sourceKey(source);
  const optional = source.optional ? 1 : 0;
  // User-written sources are known by identity: negative numbers, apart from built-in sources.
  if (own === undefined) return -(identity(source) * 2 + optional) - 1;
  if (own.length > MAX_INTERNED_LENGTH) return `${own}${optional ? '?' : '!'}`;
  let id = sourceIds.get(own);
  if (id === undefined) {
    id = sourceIds.size;
    sourceIds.set(own, id);
  }
  return id * 2 + optional;
}

/** Kind and location of each source, the schema's identity and the override policy; never contents of files. */
export function cacheKey(options: LoadOptions): number {
  if (!options || !Array.isArray(options.sources)) {
    throw new ConfigError('USAGE', 'loadConfig needs options with a sources array');
  }
  let node = child(keyTree, options.schema === undefined ? -1 : identity(options.schema));
  node = child(node, String(options.overrides ?? 'warn'));
  // A part only when not the default (a string, never a source's number), so keys stay as they were.
  if (options.unknownKeys !== undefined && options.unknownKeys !== 'warn')
    node = child(node, String(options.unknownKeys));
  for (const source of options.sources) {
    if (typeof source?.load !== 'function' || typeof source.name !== 'string') {
      throw new ConfigError('USAGE', 'every source needs a name and a load function');
    }
    // A disabled source is nowhere, in the key too: the definition is the one without it.
    if (source.enabled === false) continue;
    node = child(node, sourcePart(source));
  }
  node.key ??= nextKey++;
  return node.key;
}

export function entryFor(key: number, options: LoadOptions): CacheEntry {
  let entry = entries.get(key);
  if (entry === undefined) {
    entry = { key, options, loadedAt: 0, spread: 1 };
    entries.set(key, entry);
  }
  return entry;
}

/** Forgets `entry` if it is still the one cached for its key (a failed first load is not cached). */
export function forgetEntry(entry: CacheEntry): void {
  if (entries.get(entry.key) === entry) entries.delete(entry.key);
}

/**
 * Serves `result` for the definition keyed `key` until the returned function undoes it (for
 * `useConfig` in strataconf/testing). The entry never goes stale: `Date.now() - Infinity` is below
 * any `maxAge`, so the warm path stays as it is. Undoing puts back the config cached before, or
 * forgets the entry (its holders look it up again); after a `resetConfigCache()` there is nothing to undo.
 */
export function pinEntry(key: number, options: LoadOptions, result: LoadResult): () => void {
  const entry = entryFor(key, options);
  const before = { current: entry.current, loadedAt: entry.loadedAt, retryAt: entry.retryAt };
  entry.current = result;
  entry.loadedAt = Number.POSITIVE_INFINITY;
  entry.retryAt = undefined;
  return () => {
    if (entries.get(key) !== entry) return;
    entry.current = before.current;
    entry.loadedAt = before.loadedAt;
    entry.retryAt = before.retryAt;
    if (before.current === undefined) entries.delete(key);
  };
}
