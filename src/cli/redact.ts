import { isPlainObject } from '../layer-tree.js';
import { secretPaths } from '../schema.js';
import { isSecretIn, isSecretKey, isUrlKey, REDACTED, shownValue, urlPassword } from '../secrets.js';

export { REDACTED };

/** Secret strings shorter than this are not scrubbed from messages: they would shred ordinary words. */
const MIN_SCRUB_LENGTH = 4;

/** Hides secret values in what the CLI prints. With `show` (`--show-secrets`) it changes nothing. */
export interface Redactor {
  /** True when the value at `path` is secret, or lies inside a secret value. */
  isSecret(path: readonly string[]): boolean;
  /** `value` (found at `path`) with every secret inside it replaced by `"[redacted]"`. */
  redact(value: unknown, path?: readonly string[]): unknown;
  /** `text` with every known secret string replaced by `[redacted]` (for messages and warnings). */
  scrub(text: string): string;
}

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  return pattern.length <= path.length && pattern.every((key, i) => key === '*' || key === path[i]);
}

function redactIn(value: unknown, path: string[], isSecret: (p: readonly string[]) => boolean): unknown {
  if (isSecret(path)) return REDACTED;
  // A URL or DSN shows with its password redacted (secrets.ts decides which).
  const key = path.at(-1);
  if (key !== undefined && typeof value === 'string') return shownValue(key, value);
  if (Array.isArray(value)) return value.map((item, i) => redactIn(item, [...path, String(i)], isSecret));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = redactIn(value[key], [...path, key], isSecret);
  return out;
}

/** Every string and number inside `value`, as text. */
function scalars(value: unknown, into: Set<string>): void {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    into.add(String(value));
  } else if (Array.isArray(value)) {
    for (const item of value) scalars(item, into);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) scalars(item, into);
  }
}

/** The secret values of a config, collected so messages can be scrubbed of them. */
function secretValues(config: unknown, isSecret: (p: readonly string[]) => boolean): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, path: string[]): void => {
    const key = path.at(-1);
    const password =
      typeof value === 'string' && key !== undefined && isUrlKey(key) ? urlPassword(value) : undefined;
    if (isSecret(path)) scalars(value, found);
    else if (password !== undefined) found.add(password);
    else if (Array.isArray(value)) for (const [i, item] of value.entries()) walk(item, [...path, String(i)]);
    else if (isPlainObject(value)) for (const key of Object.keys(value)) walk(value[key], [...path, key]);
  };
  walk(config, []);
  return [...found].filter((s) => s.length >= MIN_SCRUB_LENGTH).sort((a, b) => b.length - a.length);
}

/** Leaves everything as it is (`--show-secrets`). */
export const SHOW_ALL: Redactor = {
  isSecret: () => false,
  redact: (value) => value,
  scrub: (text) => text,
};

/**
 * A redactor for `configs` loaded with `schemas`: secret by key name, by a schema's
 * `.meta({ secret: true })`, by the `paths` given (`*` for any key), by what each loaded config's
 * sources marked secret (a SecureString parameter, a secret), secret in one config meaning secret
 * in all (`diff`); and, for messages, by the secret values `configs` hold.
 */
export function createRedactor(
  schemas: readonly unknown[],
  configs: readonly unknown[],
  paths: readonly (readonly string[])[] = [],
): Redactor {
  const fromSchemas = schemas.flatMap((schema) => (schema === undefined ? [] : secretPaths(schema)));
  const patterns = [...fromSchemas, ...paths];
  const isSecret = (path: readonly string[]): boolean =>
    path.some(isSecretKey) ||
    patterns.some((p) => matches(p, path)) ||
    configs.some((config) => isSecretIn(config, path));
  const values = configs.flatMap((config) => secretValues(config, isSecret));
  return {
    isSecret,
    redact: (value, path = []) => redactIn(value, [...path], isSecret),
    scrub: (text) => values.reduce((out, secret) => out.split(secret).join(REDACTED), text),
  };
}
