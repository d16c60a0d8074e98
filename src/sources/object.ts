import { objectKey } from '../content-key.js';
import { describe } from '../descriptor.js';
import { ConfigError } from '../errors.js';
import { checkEnabled } from '../layer-meta.js';
import type { Source } from '../types.js';

/** Options of {@link fromObject}. */
export interface FromObjectOptions {
  /** Shown in warnings, errors and `explainConfig`. @default 'object' */
  name?: string;
  /**
   * When false, the source is skipped without a word and appears nowhere (no warning, no
   * provenance): for a layer that exists only in some places. @default true
   */
  enabled?: boolean;
}

/**
 * A literal object as a layer: defaults in code, or values a test wants to set. Markers
 * (`{ $default }`, `{ $override }`) work as in files. Its cache identity is its content.
 *
 * @example
 * ```ts
 * export const handler = async () => {
 *   const config = await loadConfig({ sources: [fromObject({ db: { port: { $default: 5432 } } }), fromFile('config.json5')] });
 *   return config.db;
 * };
 * // Checked at compile time against a definition's schema (a typo or a wrong type is an error):
 * const defaults = fromObject<LayerOf<typeof definition>>({ db: { port: { $default: 5432 } } });
 * ```
 */
export function fromObject<T extends object = object>(value: T, opts: FromObjectOptions = {}): Source {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('USAGE', 'fromObject expects a plain object', { source: opts.name ?? 'object' });
  }
  checkEnabled('fromObject', opts.enabled);
  const source: Source = {
    name: opts.name ?? 'object',
    optional: false,
    ...(opts.enabled === undefined ? {} : { enabled: opts.enabled }),
    load: async () => value,
  };
  return describe(source, { store: 'object', value }, objectKey(value));
}
