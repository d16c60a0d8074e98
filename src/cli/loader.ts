import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadOptions } from '../types.js';
import { usageError } from './args.js';
import { pickDefinition, splitLoaderName } from './definition.js';
import { isTypeScript, resolveTypeScriptSpecifiers, typeScriptAdvice } from './typescript.js';

/**
 * Imports the module at `given` (a path, relative to `cwd`, with `#NAME` to pick an export) and
 * returns the options of its definition: the export NAME, else the default export, else its only
 * exported definition. A definition is recognised by its shape (`options`, `load`), not
 * `instanceof`: the module may load another copy of strataconf.
 */
export async function importDefinition(given: string, cwd: string): Promise<LoadOptions> {
  const isFile = (p: string) => statSync(resolve(cwd, p), { throwIfNoEntry: false })?.isFile() === true;
  const { file: module, name } = splitLoaderName(given, isFile);
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
  return pickDefinition(exports as Record<string, unknown>, module, name).options;
}
