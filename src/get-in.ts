import { ConfigError, formatPath } from './errors.js';
import { closest } from './suggest.js';

/**
 * Reads a value by path and throws `MISSING_KEY` instead of returning `undefined`.
 *
 * @example
 * ```ts
 * export const handler = async () => {
 *   const config = await definition.load();
 *   const host = getIn(config, 'db', 'host'); // ConfigError MISSING_KEY if the config has no db.host
 * };
 * ```
 */
export function getIn(config: unknown, ...keys: (string | number)[]): unknown {
  let current: unknown = config;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string | number;
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      const path = keys.slice(0, i + 1).map(String);
      throw missingKey(path, current);
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** `MISSING_KEY`, with the nearest key the object there does have (`db.hots`: did you mean db.host?). */
function missingKey(path: string[], holder: unknown): ConfigError {
  const key = path[path.length - 1] as string;
  const keys = typeof holder === 'object' && holder !== null ? Object.keys(holder) : [];
  const near = closest(key, keys, (k) => k);
  const suggestion = near === undefined ? undefined : [...path.slice(0, -1), near];
  const hint = suggestion ? `; did you mean ${formatPath(suggestion)}?` : '';
  return new ConfigError(
    'MISSING_KEY',
    `the config has no value at ${formatPath(path)}${hint}`,
    suggestion ? { path, suggestion } : { path },
  );
}
