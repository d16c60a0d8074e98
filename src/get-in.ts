import { ConfigError, formatPath } from './errors.js';

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
      throw new ConfigError('MISSING_KEY', `the config has no value at ${formatPath(path)}`, { path });
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
