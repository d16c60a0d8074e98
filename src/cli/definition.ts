import type { LoadOptions } from '../types.js';
import { usageError } from './args.js';

/** What `--loader` needs from a module's export: a `defineConfig(...)` result, by shape. */
export interface DefinitionLike {
  options: LoadOptions;
  load: (...args: never[]) => unknown;
}

/** Recognised by its shape (`options.sources`, `load`), not `instanceof`: the module may load another copy. */
export function isDefinition(value: unknown): value is DefinitionLike {
  const v = value as Partial<DefinitionLike> | null | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.load === 'function' &&
    typeof v.options === 'object' &&
    v.options !== null &&
    Array.isArray(v.options.sources)
  );
}

/** `./config.mjs#prod` -> the module and the export's name; a `#` that is part of the file's name stays. */
export function splitLoaderName(
  module: string,
  isFile: (path: string) => boolean,
): { file: string; name?: string } {
  const hash = module.lastIndexOf('#');
  if (hash <= 0 || isFile(module)) return { file: module };
  const name = module.slice(hash + 1);
  return name === '' ? { file: module.slice(0, hash) } : { file: module.slice(0, hash), name };
}

/** Named exports holding a definition (a CommonJS module's are the default export's properties). */
function namedDefinitions(exports: Record<string, unknown>): Map<string, DefinitionLike> {
  const found = new Map<string, DefinitionLike>();
  const cjs = exports.default;
  const bags = [exports, ...(typeof cjs === 'object' && cjs !== null && !isDefinition(cjs) ? [cjs] : [])];
  for (const bag of bags) {
    for (const [name, value] of Object.entries(bag)) {
      if (name !== 'default' && isDefinition(value) && !found.has(name)) found.set(name, value);
    }
  }
  return found;
}

/**
 * The definition a `--loader` module names: the export `name` when given; else the default export
 * (or a CommonJS module's nested default); else its only exported definition.
 */
export function pickDefinition(
  exports: Record<string, unknown>,
  module: string,
  name?: string,
): DefinitionLike {
  const named = namedDefinitions(exports);
  if (name !== undefined) {
    const chosen = name === 'default' ? defaultDefinition(exports) : named.get(name);
    if (chosen) return chosen;
    const list = named.size > 0 ? `it exports ${[...named.keys()].join(', ')}` : 'it exports no definition';
    throw usageError(`--loader ${module}: no defineConfig(...) result exported as "${name}" (${list})`);
  }
  const fallback = defaultDefinition(exports);
  if (fallback) return fallback;
  const unique = [...new Set(named.values())];
  if (unique.length === 1) return unique[0] as DefinitionLike;
  if (unique.length > 1) {
    throw usageError(
      `--loader ${module}: it exports ${unique.length} definitions (${[...named.keys()].join(', ')}); pick one with --loader ${module}#NAME`,
    );
  }
  throw usageError(
    `--loader ${module}: the module must export a defineConfig(...) result (an object with options.sources and load()), as its default export or as its only named one`,
  );
}

function defaultDefinition(exports: Record<string, unknown>): DefinitionLike | undefined {
  // A CommonJS or transpiled module may nest the default export one level deeper.
  const candidate = exports.default;
  if (isDefinition(candidate)) return candidate;
  const nested = (candidate as { default?: unknown } | undefined)?.default;
  return isDefinition(nested) ? nested : undefined;
}
