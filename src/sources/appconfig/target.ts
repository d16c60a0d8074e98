import { ConfigError } from '../../errors.js';
import type { AppConfigLocation } from './wire.js';

/** An AppConfig layer's target, checked when the layer is built. */

const FORMS = '"application/environment/profile" or { application, environment, profile }';

function usage(message: string): ConfigError {
  return new ConfigError('USAGE', `fromAppConfig: ${message}`);
}

/** `app/env/profile` or `{ application, environment, profile }`, checked at once. */
export function parseAppConfigTarget(target: unknown): AppConfigLocation {
  let parts: unknown[];
  if (typeof target === 'string') parts = target.split('/');
  else if (typeof target === 'object' && target !== null) {
    const t = target as Partial<AppConfigLocation>;
    parts = [t.application, t.environment, t.profile];
  } else throw usage(`expected ${FORMS}, got ${target === null ? 'null' : typeof target}`);
  if (parts.length !== 3 || parts.some((p) => typeof p !== 'string' || p === '' || p.includes('/'))) {
    const shown = typeof target === 'string' ? `"${target}"` : 'an object missing a part';
    throw usage(`expected ${FORMS}, got ${shown}`);
  }
  const [application, environment, profile] = parts as string[];
  return { application, environment, profile } as AppConfigLocation;
}
