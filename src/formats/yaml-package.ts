import type * as Yaml from 'yaml';
import { ConfigError } from '../errors.js';

/**
 * The `yaml` package (an optional peer dependency), imported the first time a YAML layer is parsed:
 * a stack of JSON layers never loads it. Its name reaches `import()` through a function argument, so
 * a bundler (esbuild, webpack) does not follow it: a JSON handler's bundle does not grow by the
 * parser even when `yaml` happens to be in node_modules (many build tools install it), and a YAML
 * handler finds the package beside its bundle at run time.
 */

/** The part of the `yaml` package strataconf uses (its 2.x API). */
export type YamlApi = Pick<
  typeof Yaml,
  'parseDocument' | 'isAlias' | 'isMap' | 'isSeq' | 'isScalar' | 'LineCounter' | 'Parser'
>;

/** `import(name)` that bundlers leave alone (they only follow a literal). */
const importPackage = (name: string): Promise<unknown> =>
  import(/* webpackIgnore: true */ /* @vite-ignore */ name);

let loading: Promise<YamlApi> | undefined;

const INSTALL =
  'install it with `npm install yaml` (a bundled function ships it beside the bundle, in node_modules/yaml)';

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** The 2.x API from the module namespace (ESM) or its CommonJS default export. */
function api(mod: unknown): YamlApi | undefined {
  for (const candidate of [mod, (mod as { default?: unknown } | undefined)?.default]) {
    const m = candidate as Partial<YamlApi> | undefined;
    if (
      typeof m?.parseDocument === 'function' &&
      typeof m.isMap === 'function' &&
      typeof m.Parser === 'function'
    )
      return m as YamlApi;
  }
  return undefined;
}

/**
 * The `yaml` package, or a `PARSE_ERROR` for `source` that says how to install it: the layer exists,
 * and skipping it would load the config without it. A failed import is not remembered, so installing
 * the package later (a test, a watch mode) works.
 */
export async function loadYamlPackage(source: string): Promise<YamlApi> {
  loading ??= importPackage('yaml').then((mod) => {
    const found = api(mod);
    if (found === undefined) throw Object.assign(new Error('not yaml 2'), { code: 'YAML_VERSION' });
    return found;
  });
  try {
    return await loading;
  } catch (err) {
    loading = undefined;
    const why = isMissing(err)
      ? `YAML layers need the yaml package, which is not installed: ${INSTALL}`
      : (err as { code?: unknown }).code === 'YAML_VERSION'
        ? 'YAML layers need version 2 of the yaml package, and another version is installed: `npm install yaml@2`'
        : `the yaml package failed to load (${(err as Error)?.name ?? 'error'})`;
    throw new ConfigError(
      'PARSE_ERROR',
      `${source}: ${why}`,
      { source, reason: 'yaml package' },
      { cause: err },
    );
  }
}
