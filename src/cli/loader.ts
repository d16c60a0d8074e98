import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadOptions } from '../types.js';
import { usageError } from './args.js';

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

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

function typeScriptAdvice(module: string): string {
  return (
    `--loader ${module}: this Node (${process.version}) cannot import TypeScript by itself. ` +
    `Run with a TypeScript loader, e.g. NODE_OPTIONS='--import tsx' strataconf ... ` +
    `(tsx installed in the project), on a Node that strips types by default (22.18+, 23.6+), ` +
    `or compile the module to .js/.mjs`
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
  try {
    exports = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && TS_EXTENSIONS.has(extname(path))) {
      throw usageError(typeScriptAdvice(module));
    }
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
