import { isPlainObject } from './layer-tree.js';

/**
 * What is secret in a loaded config, and its redacted copy: shared by the library (`redact`,
 * `util.inspect`, `explainConfig`) and the CLI. The load pipeline marks each object that holds a
 * secret (secret-marks.ts); everything here reads those marks, so every surface agrees.
 */

/** What a secret value shows as. */
export const REDACTED = '[redacted]';

/** Keys whose values are secret, anywhere in the key: `dbPassword`, `API_KEY`, `clientSecret`. */
const SECRET_KEY = /password|secret|token|api[-_]?key|private[-_]?key|credential/i;

/**
 * Keys that end in a `Key` word: camelCase `stripeKey`, `webhookSigningKey`; snake or kebab case
 * `signing_key`, `SIGNING_KEY`, `signing-key`. Not a key that starts with one (`keyPrefix`), not
 * `key` inside a word (`monkey`, `keyboard`), not `key` alone (an S3 object's key), and not a public
 * key, which is meant to be shown.
 */
const KEY_SUFFIX = /[a-z0-9]Key$|[-_]key$/i;
const CAMEL_KEY_SUFFIX = /[a-z0-9]Key$/;
const PUBLIC_KEY = /public[-_]?key$/i;

/** The shortest key a pattern can match (`xKey`, `_key`): a cold load skips the regexes for shorter keys. */
const MIN_SECRET_KEY = 4;

/** A `Key` word at the end of a name (see {@link KEY_SUFFIX}): camelCase needs the capital K. */
function endsInKeyWord(key: string): boolean {
  if (!KEY_SUFFIX.test(key)) return false;
  const separated = key[key.length - 4] === '_' || key[key.length - 4] === '-';
  return (separated || CAMEL_KEY_SUFFIX.test(key)) && !PUBLIC_KEY.test(key);
}

/** True when a value under `key` is secret by its name alone. */
export function isSecretKey(key: string): boolean {
  return key.length >= MIN_SECRET_KEY && (SECRET_KEY.test(key) || endsInKeyWord(key));
}

/** Keys whose values are URLs or DSNs (`databaseUrl`, `DATABASE_URL`, `sentryDsn`, `mongoUri`). */
const URL_KEY = /(?:dsn|url|uri)$/i;

/** True when a string under `key` may be a URL whose password is shown redacted. */
export function isUrlKey(key: string): boolean {
  return URL_KEY.test(key);
}

/**
 * A URL's userinfo password: `scheme://user:PASSWORD@host...`. The password runs to the last `@`,
 * which also catches one written with an unescaped `@` or `/` in it; a user without a password
 * (`https://public@sentry.example/1`) has nothing to hide.
 */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^@/?#:]*:)(.+)(@[^@]*)$/is;

/** The password in `url`'s userinfo, or undefined when it has none. */
export function urlPassword(url: string): string | undefined {
  return URL_PASSWORD.exec(url)?.[2];
}

/**
 * The value under `key` as it may be shown: a URL or DSN (by its key) with its password replaced by
 * `[redacted]` (`postgres://orders:[redacted]@db/orders`), anything else as it is. The rest of the
 * URL stays readable: the host and the database are what a person checks.
 */
export function shownValue(key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !isUrlKey(key)) return value;
  const match = URL_PASSWORD.exec(value);
  return match === null ? value : `${match[1]}${REDACTED}${match[3]}`;
}

/**
 * The secrets an object of a loaded config holds: `true` when the object itself is secret (every
 * value in it), else its own keys whose values are secret (empty when only deeper objects hold
 * secrets). Registered (Symbol.for) and kept on the object, so a config loaded by another copy of
 * strataconf (the ESM and the CommonJS build both loaded) is still redacted.
 */
export const SECRETS: unique symbol = Symbol.for('strataconf.secrets');

/** What Node's `util.inspect` (and so `console.log`) calls instead of walking the object. */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom');

export type SecretKeys = true | readonly string[];

/** The mark the pipeline left on an object of a loaded config, if it holds a secret. */
export function secretsOf(value: unknown): SecretKeys | undefined {
  return typeof value === 'object' && value !== null
    ? (value as { [SECRETS]?: SecretKeys })[SECRETS]
    : undefined;
}

function isSecretChild(mark: SecretKeys | undefined, key: string, isArray: boolean): boolean {
  if (mark === true) return true;
  if (mark?.includes(key)) return true;
  return !isArray && isSecretKey(key);
}

function copy(value: unknown, seen: WeakSet<object>): unknown {
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) return value;
  const source = value as Record<string, unknown>;
  if (seen.has(source)) return '[Circular]';
  seen.add(source);
  const mark = secretsOf(source);
  const out: Record<string, unknown> | unknown[] = isArray ? [] : {};
  for (const key of Object.keys(source)) {
    (out as Record<string, unknown>)[key] = isSecretChild(mark, key, isArray)
      ? REDACTED
      : isArray
        ? copy(source[key], seen)
        : copy(shownValue(key, source[key]), seen);
  }
  seen.delete(source);
  return out;
}

/**
 * A plain, unfrozen copy of a loaded config, or of any object inside it, with every secret value
 * replaced by `"[redacted]"`: values the schema marks `.meta({ secret: true })`, values from a
 * SecureString parameter or a Secrets Manager secret, and values under a key that names a secret
 * (password, secret, token, apiKey/api_key, privateKey/private_key, credential; any case; or ending
 * in a `Key` word: `stripeKey`, `signing_key`). The password of a URL under a key ending in `url`,
 * `uri` or `dsn` is replaced too: `postgres://orders:[redacted]@db/orders`. An object that no load
 * returned is redacted by its key names only. Hand this to a structured logger:
 * `JSON.stringify(config)` itself keeps the real values.
 *
 * @example
 * ```ts
 * const logger = new Logger({ serviceName: 'orders' }); // @aws-lambda-powertools/logger
 * export const handler = async (event, context) => {
 *   const config = await definition.load({ context });
 *   logger.info('config loaded', { config: redact(config) });
 * };
 * ```
 */
export function redact(value: readonly unknown[]): unknown[];
export function redact(value: object): Record<string, unknown>;
export function redact(value: unknown): unknown;
export function redact(value: unknown): unknown {
  return copy(value, new WeakSet());
}

/** True when the value at `path` of a loaded `config` is secret, or lies inside a secret value. */
export function isSecretIn(config: unknown, path: readonly string[]): boolean {
  let node: unknown = config;
  for (const key of path) {
    const mark = secretsOf(node);
    if (isSecretChild(mark, key, Array.isArray(node))) return true;
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return false;
}

/**
 * The value at `path` of a loaded config as a log or a table may show it: `"[redacted]"` when it is
 * secret, a redacted copy when it holds a secret, else the value itself.
 */
export function redactAt(config: unknown, path: readonly string[], value: unknown): unknown {
  if (isSecretIn(config, path)) return REDACTED;
  const key = path.at(-1);
  if (key !== undefined && typeof value === 'string') return shownValue(key, value);
  return secretsOf(value) === undefined ? value : redact(value);
}

/** `util.inspect` of a marked object shows its redacted copy; reading its values is unchanged. */
export function inspectRedacted(this: object): unknown {
  return redact(this);
}
