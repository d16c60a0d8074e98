import { ConfigError } from '../../errors.js';

/** Checks the options every AWS store layer shares, synchronously (the factory throws `USAGE`). */
export function validateAwsOptions(factory: string, opts: unknown, strings: readonly string[] = []): void {
  if (typeof opts !== 'object' || opts === null)
    throw new ConfigError('USAGE', `${factory}: options must be an object`);
  const o = opts as Record<string, unknown>;
  for (const flag of ['optional', 'enabled']) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean')
      throw new ConfigError('USAGE', `${factory}: ${flag} must be true or false`);
  }
  for (const field of ['name', 'region', ...strings]) {
    if (o[field] !== undefined && (typeof o[field] !== 'string' || o[field] === ''))
      throw new ConfigError('USAGE', `${factory}: ${field} must be a non-empty string`);
  }
  const t = o.timeoutMs;
  if (t !== undefined && !(typeof t === 'number' && t > 0 && Number.isFinite(t)))
    throw new ConfigError('USAGE', `${factory}: timeoutMs must be a positive number`);
  if (o.client !== undefined && typeof (o.client as { send?: unknown })?.send !== 'function')
    throw new ConfigError(
      'USAGE',
      `${factory}: client must be an AWS SDK v3 client (an object with a send method)`,
    );
}
