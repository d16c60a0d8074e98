import { ConfigError } from '../../errors.js';
import { markSecret } from '../../layer-meta.js';
import { isPlainObject } from '../../layer-tree.js';
import type { GetSecretValueOutput } from './wire.js';

/**
 * A secret's value to a layer: a SecretString holding a JSON object is the layer (under `at` when
 * given); any other string is the value at `at`. Every value is marked secret. Messages never show
 * the secret's text: JSON.parse's own message quotes it, so it is neither shown nor kept as a cause.
 */

function parseError(source: string, why: string): ConfigError {
  return new ConfigError('PARSE_ERROR', `${source}: ${why}`, { source });
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function nest(path: readonly string[], value: unknown): Record<string, unknown> {
  let out: unknown = value;
  for (const key of [...path].reverse()) out = { [key]: out };
  return out as Record<string, unknown>;
}

/** The layer of one GetSecretValue answer. */
export function secretLayer(out: GetSecretValueOutput, source: string, at: string[] | undefined): object {
  const text = out.SecretString;
  if (typeof text !== 'string') {
    throw parseError(
      source,
      out.SecretBinary === undefined
        ? 'the secret has no SecretString'
        : 'the secret is binary (SecretBinary); strataconf reads a SecretString: a JSON object, or a string placed with { at }',
    );
  }
  const object = jsonObject(text);
  if (object === undefined && at === undefined) {
    throw parseError(
      source,
      'the secret is not a JSON object (or is not valid JSON); to use a plain string, place it with { at: "db.password" }',
    );
  }
  const layer = at === undefined ? (object as Record<string, unknown>) : nest(at, object ?? text);
  markSecret(layer, true);
  return layer;
}
