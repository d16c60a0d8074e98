import { ConfigError } from '../../errors.js';
import { type Format, formatOfMediaType, mediaType } from '../../formats/index.js';
import { denied, invalid, notFound, type ServiceErrors } from '../remote/failure.js';

/** What AppConfig's answers mean: its content types, and its errors for the failure table. */

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
