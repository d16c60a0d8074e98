import type { core } from 'zod';
import { cacheKey, pinEntry } from '../cache.js';
import { ConfigError } from '../errors.js';
import { runLoad } from '../load-config.js';
import { fromObject } from '../sources/object.js';
import type { ConfigOf, LoadOptions, Source } from '../types.js';

/**
 * Handler-level tests: a definition serves a config given by the test, built from an object or from
 * fixture layers, until `restoreConfigs()`. Kept apart from the rest of strataconf/testing because
 * it is the one helper that touches the module-scope cache.
 */

/** What {@link useConfig} builds the config from: the schema's input as an object, or layers. */
export type TestConfig<S extends core.$ZodType | undefined> =
  | {
      /** The config as the schema takes it (before defaults and transforms). */
      object: S extends core.$ZodType ? core.input<S> : Record<string, unknown>;
    }
  | {
      /** The layers to load instead of the definition's sources, lowest precedence first. */
      layers: readonly Source[];
    };

const undo: (() => void)[] = [];

function sourcesOf(given: TestConfig<core.$ZodType | undefined>): Source[] {
  if (given !== null && typeof given === 'object') {
    if ('layers' in given && Array.isArray(given.layers)) return [...given.layers];
    if ('object' in given && typeof given.object === 'object' && given.object !== null) {
      return [fromObject(given.object, { name: 'test config' })];
    }
  }
  throw new ConfigError('USAGE', 'useConfig expects { object } or { layers } as its second argument');
}

/**
 * Gives `definition` a config for the length of a test: its `load()` (and a `loadConfig` with the
 * same options) returns it at once, whatever its sources and `maxAge` say, until
 * {@link restoreConfigs} (or `resetConfigCache()`). The config is built like a real load, from
 * `{ object }` or `{ layers }` (e.g. `fixtureLayers(...)`) in place of the definition's sources,
 * validated by its schema and frozen; a value the schema rejects fails with `VALIDATION_ERROR`.
 * Nothing is read from S3 or the network. A handler that loads at module scope must be imported
 * after this call (a dynamic `import()`, with `vi.resetModules()` between tests).
 *
 * @example
 * ```ts
 * import { config } from './config.js';
 * afterEach(() => restoreConfigs());
 *
 * it('takes an order', async () => {
 *   await useConfig(config, { layers: fixtureLayers(new URL('./fixtures/', import.meta.url), 'staging') });
 *   const { handler } = await import('./handler.js'); // its `await config.load()` gets the fixture
 *   expect((await handler({ customer: 'Ada', items: 2 }, context)).accepted).toBe(true);
 * });
 * ```
 */
export async function useConfig<S extends core.$ZodType | undefined = undefined>(
  definition: { readonly options: LoadOptions<S> },
  given: TestConfig<S>,
): Promise<ConfigOf<S>> {
  const options = definition?.options as unknown as LoadOptions | undefined;
  if (options === undefined || !Array.isArray(options.sources)) {
    throw new ConfigError('USAGE', 'useConfig expects a defineConfig(...) result as its first argument');
  }
  const sources = sourcesOf(given as TestConfig<core.$ZodType | undefined>);
  const result = await runLoad({ ...options, sources, context: undefined });
  undo.push(pinEntry(cacheKey(options), options, result));
  return result.config as ConfigOf<S>;
}

/**
 * Undoes every {@link useConfig} since the last call, newest first: each definition serves what it
 * had cached before, or loads its own sources again on its next `load()`.
 *
 * @example
 * ```ts
 * afterEach(() => restoreConfigs());
 * ```
 */
export function restoreConfigs(): void {
  for (const restore of undo.splice(0).reverse()) restore();
}
