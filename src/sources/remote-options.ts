import { ConfigError } from '../errors.js';

/**
 * The options every remote layer takes (`optional`, `enabled`, `name`, `region`, `timeoutMs`,
 * `client`), checked when the factory is called: a mistake is a `USAGE` error at once, never a
 * failed load at the first invocation.
 */
export interface RemoteOptions {
  optional?: unknown;
  enabled?: unknown;
  name?: unknown;
  region?: unknown;
  timeoutMs?: unknown;
  client?: unknown;
}

function usage(factory: string, message: string): ConfigError {
  return new ConfigError('USAGE', `${factory}: ${message}`);
}

/** Throws `USAGE` unless `value` is undefined or a non-empty string. */
export function checkString(factory: string, value: unknown, what: string): void {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw usage(factory, `${what} must be a non-empty string`);
  }
}

/** Checks the options shared by every remote layer; `clientName` names the SDK client it takes. */
export function checkRemoteOptions(factory: string, opts: unknown, clientName: string): RemoteOptions {
  if (typeof opts !== 'object' || opts === null) throw usage(factory, 'options must be an object');
  const o = opts as RemoteOptions;
  for (const flag of ['optional', 'enabled'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean')
      throw usage(factory, `${flag} must be true or false`);
  }
  checkString(factory, o.name, 'name');
  checkString(factory, o.region, 'region');
  const t = o.timeoutMs;
  if (t !== undefined && !(typeof t === 'number' && t > 0 && Number.isFinite(t))) {
    throw usage(factory, 'timeoutMs must be a positive number');
  }
  if (o.client !== undefined && typeof (o.client as { send?: unknown })?.send !== 'function') {
    throw usage(factory, `client must be a ${clientName} (an object with a send method)`);
  }
  return o;
}
