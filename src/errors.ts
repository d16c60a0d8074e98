/**
 * Every failure strataconf reports is a `ConfigError` with one of these codes.
 *
 * - `SOURCE_UNAVAILABLE`: a required source could not be read (file missing, S3 object missing, denied, timed out).
 * - `PARSE_ERROR`: a source exists but is not valid JSON/JSON5, or is not an object at the top.
 * - `VALIDATION_ERROR`: the merged config failed the schema, or an env variable could not be coerced.
 * - `OVERRIDE_MISSING`: a `{ $override }` marker was not set by any later layer.
 * - `OVERRIDE_FORBIDDEN`: with `overrides: 'error'`, a layer replaced an unmarked value.
 * - `UNSAFE_KEY`: a layer holds `__proto__`, `constructor` or `prototype`.
 * - `UNKNOWN_KEY`: with `unknownKeys: 'error'`, a layer set keys the schema does not declare (all are listed).
 * - `MISSING_KEY`: `getIn` (or the CLI's `get`) asked for a path the config does not have.
 * - `USAGE`: bad options passed to a factory, to `loadConfig`, or to the CLI.
 */
export type ConfigErrorCode =
  | 'SOURCE_UNAVAILABLE'
  | 'PARSE_ERROR'
  | 'VALIDATION_ERROR'
  | 'OVERRIDE_MISSING'
  | 'OVERRIDE_FORBIDDEN'
  | 'UNSAFE_KEY'
  | 'UNKNOWN_KEY'
  | 'MISSING_KEY'
  | 'USAGE';

/** One schema problem, tied to the layer that supplied the offending value. */
export interface ValidationIssue {
  /** Path of the offending value, as keys (array indexes as strings). */
  path: string[];
  /** What is wrong, from the schema. Never includes the value itself. */
  message: string;
  /** Name of the source that supplied the value, when one did. */
  source?: string;
}

/**
 * The error every strataconf failure throws. Messages name the source and the place in it, and
 * never carry a configuration value (which may be a secret).
 *
 * @example
 * ```ts
 * try {
 *   await loadConfig({ sources: [fromFile('config.json5')] });
 * } catch (err) {
 *   if (err instanceof ConfigError && err.code === 'OVERRIDE_MISSING') console.error(err.details.missing);
 *   throw err;
 * }
 * ```
 */
export class ConfigError extends Error {
  /** Always `'ConfigError'`, also on an error from another copy of the package (see {@link isConfigError}). */
  override readonly name = 'ConfigError';
  /** Stable machine-readable code; see {@link ConfigErrorCode}. */
  readonly code: ConfigErrorCode;
  /** Structured facts about the failure: `source`, `path`, `line`, `column`, `issues`, `missing`... */
  readonly details: Record<string, unknown>;

  constructor(
    code: ConfigErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** A JSON form with code, message and details (no stack), for structured logs. */
  toJSON(): {
    /** `'ConfigError'`. */
    name: string;
    /** The error's {@link ConfigErrorCode}. */
    code: ConfigErrorCode;
    /** The message, which names the source and the place in it, never a value. */
    message: string;
    /** The structured details, as on the error. */
    details: Record<string, unknown>;
  } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/**
 * True for a `ConfigError`, also one thrown by another copy of the package (checked by shape), where
 * `instanceof` would say false.
 *
 * @example
 * ```ts
 * export const handler = async (event, context) => {
 *   try {
 *     return (await config.load({ context })).db;
 *   } catch (err) {
 *     if (isConfigError(err)) logger.error('bad configuration', { code: err.code, details: err.details });
 *     throw err;
 *   }
 * };
 * ```
 */
export function isConfigError(err: unknown): err is ConfigError {
  return (
    err instanceof ConfigError ||
    (err instanceof Error &&
      err.name === 'ConfigError' &&
      typeof (err as { code?: unknown }).code === 'string')
  );
}

/** A path as people write it: `db.host`, `servers[0].port`; `(root)` for the empty path. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number' || /^\d+$/.test(key)) out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}
