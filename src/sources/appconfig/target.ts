import { ConfigError } from '../../errors.js';
import { type Format, formatOfMediaType, mediaType } from '../../formats/index.js';
import { denied, invalid, notFound, type ServiceErrors } from '../remote/failure.js';
import type { AppConfigLocation } from './wire.js';

/** The parts of an AppConfig layer that are not I/O: its target, its content types, its errors. */

const DENIED_HINT =
  'the role needs appconfig:StartConfigurationSession and appconfig:GetLatestConfiguration on the configuration profile';

export const APPCONFIG_ERRORS: ServiceErrors = {
  service: 'AppConfig',
  deniedHint: DENIED_HINT,
  byName: {
    ResourceNotFoundException: notFound(
      'the application, environment or configuration profile was not found, or has no deployment (ResourceNotFoundException)',
    ),
    AccessDeniedException: denied(`access denied (AccessDeniedException): ${DENIED_HINT}`),
    BadRequestException: invalid('AppConfig rejected the request (BadRequestException)'),
  },
};

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

/**
 * How to parse a configuration by its `Content-Type`, from the format table: `application/json` is
 * JSON (feature flags too); `application/x-yaml`, `application/yaml` and `text/yaml` are YAML (the
 * console's YAML); `text/plain` (the console's "Text") and `application/json5` are JSON5, as is a
 * configuration without a content type. Any other type is a `PARSE_ERROR` naming it.
 */
export function contentFormat(contentType: string | undefined, name: string): Format {
  const type = mediaType(contentType);
  if (type === '') return 'json5';
  const format = formatOfMediaType(type);
  if (format !== undefined) return format;
  throw new ConfigError(
    'PARSE_ERROR',
    `${name}: the configuration's content type is "${type}"; strataconf reads JSON (application/json), YAML (application/x-yaml, application/yaml, text/yaml) and JSON5 (text/plain, application/json5)`,
    { source: name, contentType: type, reason: 'content type' },
  );
}
