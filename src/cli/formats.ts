import { isPlainObject } from '../layer-tree.js';
import { usageError } from './args.js';

/** JSON that also survives values a schema transform may produce (a bigint prints as its digits). */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v), indent);
}

export async function toJson5(value: unknown): Promise<string> {
  const mod = (await import('json5')) as { default?: { stringify: typeof JSON.stringify } };
  const json5 = (mod.default ?? mod) as { stringify: typeof JSON.stringify };
  return json5.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

/** `threadPool` -> `THREAD_POOL`: what fromEnv maps back to the same key. */
export function envSegment(key: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(key) || key.includes('__')) return undefined;
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();
}

/** Quoted for a POSIX shell when it needs to be; plain when it is made of safe characters only. */
function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

function envValue(value: unknown): string {
  return typeof value === 'string' ? value : toJson(value, 0);
}

/** One variable per leaf; keys that no variable name can carry are returned as `skipped`. */
export function toEnvLines(config: unknown, prefix: string): { lines: string[]; skipped: string[] } {
  const lines: string[] = [];
  const skipped: string[] = [];
  const walk = (value: unknown, path: string[], names: string[]): void => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const key of Object.keys(value)) {
        const segment = envSegment(key);
        if (segment === undefined) skipped.push([...path, key].join('.'));
        else walk(value[key], [...path, key], [...names, segment]);
      }
      return;
    }
    if (names.length === 0) return;
    lines.push(`${prefix}${names.join('__')}=${shellQuote(envValue(value))}`);
  };
  walk(config, [], []);
  return { lines, skipped };
}

/** The prefix of `--format env`: `--prefix`, else the prefix of the last env source. */
export function envPrefix(given: string | undefined, sourceNames: readonly string[]): string {
  if (given !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(given)) {
      throw usageError(`--prefix "${given}" is not the start of a variable name`, 'print');
    }
    return given;
  }
  const last = [...sourceNames].reverse().find((name) => name.startsWith('env:'));
  if (last !== undefined) return last.slice('env:'.length);
  throw usageError('--format env needs a prefix: give --prefix PREFIX or an --env PREFIX source', 'print');
}
