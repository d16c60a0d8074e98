import { ConfigError } from './errors.js';
import type { Node } from './layer-tree.js';
import type { FailureFacts } from './outcome.js';

/**
 * The layer metadata protocol: what the built-in sources share with the pipeline and nothing else.
 * The "unavailable" signal, a layer's version, deferred layers (env, SSM) that resolve at merge
 * time, secret marks and key names. Core modules import it; it imports no source.
 */

/**
 * Thrown by a source that is absent: an optional source is then dropped, a required one fails.
 * `facts` (a remote layer's failure class, and whether a later load may read it) go in `details`.
 */
export function unavailable(
  source: string,
  reason: string,
  cause?: unknown,
  facts?: FailureFacts,
): ConfigError {
  return new ConfigError(
    'SOURCE_UNAVAILABLE',
    `${source} is unavailable: ${reason}`,
    facts === undefined
      ? { source, reason }
      : { source, reason, kind: facts.kind, transient: facts.transient },
    cause === undefined ? undefined : { cause },
  );
}

const layerVersions = new WeakMap<object, string>();

/** Records which version of its source a layer is (an S3 object's ETag); `explainConfig` shows it. */
export function setLayerVersion(layer: object, version: string): void {
  layerVersions.set(layer, version);
}

/** The version recorded for a layer, if its source recorded one. */
export function layerVersion(layer: unknown): string | undefined {
  return typeof layer === 'object' && layer !== null ? layerVersions.get(layer) : undefined;
}

/** What the pipeline knows at merge time, for a layer that depends on what is below it. */
export interface ResolveContext {
  source: string;
  schema: unknown;
  below: Node;
}

/** A layer whose contents are computed at merge time (the env layer). */
export interface DeferredLayer {
  readonly [DEFERRED]: true;
  resolve(ctx: ResolveContext): Promise<object>;
}

// Registered (Symbol.for), so a definition built by another copy of strataconf (a `strataconf
// --loader` module with its own node_modules) still has its env layer recognised as deferred.
export const DEFERRED: unique symbol = Symbol.for('strataconf.deferred');

export function isDeferred(value: unknown): value is DeferredLayer {
  return typeof value === 'object' && value !== null && (value as Partial<DeferredLayer>)[DEFERRED] === true;
}

/**
 * Values a source knows to be secret whatever the schema says: `true` for every value of the layer
 * (a Secrets Manager secret), or the paths of the secret values (SecureString parameters). Set on
 * the object the pipeline merges (for a deferred layer, the object its `resolve` returns).
 */
export type SecretMark = true | readonly (readonly string[])[];

// Registered (Symbol.for) and kept on the layer itself, so a layer built by another copy of
// strataconf (a `strataconf --loader` module with its own node_modules) still carries its marks to
// the CLI, as deferred layers do. A frozen layer keeps its mark in this copy's map instead.
const SECRET_MARK: unique symbol = Symbol.for('strataconf.secretMark');
const layerSecrets = new WeakMap<object, SecretMark>();

/** Marks values of `layer` as secret (see {@link SecretMark}). */
export function markSecret(layer: object, mark: SecretMark): void {
  if (Object.isExtensible(layer)) {
    Object.defineProperty(layer, SECRET_MARK, { value: mark, configurable: true, enumerable: false });
  } else layerSecrets.set(layer, mark);
}

/** The secret mark a source set on a layer, if any. */
export function secretMarkOf(layer: unknown): SecretMark | undefined {
  if (typeof layer !== 'object' || layer === null) return undefined;
  return (layer as { [SECRET_MARK]?: SecretMark })[SECRET_MARK] ?? layerSecrets.get(layer);
}

/**
 * How a source names, in its own terms, what set a key of its layer: the env layer names the
 * variable (`APP_LOG_LEVL (logLevl)`), a parameter store would name the parameter. Messages about
 * that key (an unknown key) use it instead of the dotted path.
 */
export interface KeyName {
  /** What set the key, as the message names it: `APP_LOG_LEVL (logLevl)`. */
  label: string;
  /** How to name a declared path suggested instead, in the same terms: `APP_LOG_LEVEL`. */
  suggest?(path: readonly string[]): string;
  /** Added to the warning's details: `{ variable: 'APP_LOG_LEVL' }`. */
  details?: Record<string, unknown>;
}

/**
 * Names what set `path` or anything below it (one entry per variable, parameter...); an empty
 * list means "name it by its path".
 */
export type KeyNamer = (path: readonly string[]) => readonly KeyName[];

// A registered symbol on the layer itself, not a WeakMap of this module: a definition built by
// another copy of strataconf (a `strataconf --loader` module with its own node_modules) still has
// its layers' names read by the copy that runs the load. Not enumerable: never merged.
const KEY_NAMER: unique symbol = Symbol.for('strataconf.keyNamer');

/** Gives a layer its own names for its keys (set on the object the pipeline merges). */
export function nameKeys(layer: object, namer: KeyNamer): void {
  Object.defineProperty(layer, KEY_NAMER, { value: namer, configurable: true });
}

/** The key namer a source set on a layer, if any. */
export function keyNamerOf(layer: unknown): KeyNamer | undefined {
  if (typeof layer !== 'object' || layer === null) return undefined;
  const namer = (layer as { [KEY_NAMER]?: unknown })[KEY_NAMER];
  return typeof namer === 'function' ? (namer as KeyNamer) : undefined;
}

/**
 * Checks a factory's `enabled` option (a boolean or absent). The pipeline skips a disabled source;
 * factories only pass the option on.
 */
export function checkEnabled(factory: string, enabled: unknown): void {
  if (enabled !== undefined && typeof enabled !== 'boolean') {
    throw new ConfigError('USAGE', `${factory}: enabled must be true or false, not ${typeof enabled}`);
  }
}
