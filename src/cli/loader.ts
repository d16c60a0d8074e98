import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadOptions } from '../types.js';
import { usageError } from './args.js';
import { isTypeScript, resolveTypeScriptSpecifiers, typeScriptAdvice } from './typescript.js';

/** What `--loader` needs from a module's default export: a `defineConfig(...)` result, by shape. */
interface DefinitionLike {
  options: LoadOptions;
  load: (...args: never[]) => unknown;
}

function isDefinition(value: unknown): value is DefinitionLike {
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

/**
 * Imports the module at `module` (a path, relative to `cwd`) and returns the options of the
 * definition it exports by default. The definition is recognised by its shape (`options`, `load`),
 * not `instanceof`: the module may load another copy of strataconf.
 */
export async function importDefinition(module: string, cwd: string): Promise<LoadOptions> {
  const path = resolve(cwd, module);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw usageError(`--loader ${module}: no such file`);
  let exports: { default?: unknown };
  if (isTypeScript(path)) resolveTypeScriptSpecifiers();
  try {
    exports = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (err) {
    const advice = isTypeScript(path) ? typeScriptAdvice(module, err) : undefined;
    if (advice !== undefined) throw usageError(advice);
    throw usageError(`--loader ${module} failed to import: ${(err as Error).message}`);
  }
  // A CommonJS or transpiled module may nest the default export one level deeper.
  const candidate = exports.default;
  const definition = isDefinition(candidate)
    ? candidate
    : (candidate as { default?: unknown } | undefined)?.default;
  if (!isDefinition(definition)) {
    throw usageError(
      `--loader ${module}: the default export must be a defineConfig(...) result (an object with options.sources and load())`,
    );
  }
  return definition.options;
}
