import { identity, internedParts } from './identity.js';
import type { Source } from './types.js';

/**
 * What a built-in source reads, as data: the store and its location. The cache identity is derived
 * from it, and the CLI (source specs, the env table, the IAM policy) and the local stand-in server
 * read it instead of guessing a source's kind from its display name. A user-written source has none.
 */

/** Options every AWS store layer may carry besides its location. */
interface AwsPlace {
  /** The `region` option as given (absent: the environment's region, read when the layer loads). */
  region?: string;
  /** The caller's SDK client, when one was given (its identity is part of the cache key). */
  client?: object;
}

export interface FileDescriptor {
  store: 'file';
  /** The resolved, absolute path. */
  path: string;
}

export interface EnvDescriptor {
  store: 'env';
  prefix?: string;
  separator: string;
  map?: Readonly<Record<string, string>>;
  /** The `env` object given instead of `process.env`, when one was. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ObjectDescriptor {
  store: 'object';
  value: object;
}

export interface S3Descriptor extends AwsPlace {
  store: 's3';
  bucket: string;
  key: string;
  versionId?: string;
}

export interface SsmDescriptor extends AwsPlace {
  store: 'ssm';
  /** The parameter path without a trailing slash (`/orders/prod`; `/` for the root). */
  path: string;
}

export interface SecretDescriptor extends AwsPlace {
  store: 'secrets-manager';
  /** The secret's name or ARN, as given. */
  secretId: string;
  versionStage?: string;
  /** The dotted path the secret is placed at, as given. */
  at?: string;
}

export interface AppConfigDescriptor extends AwsPlace {
  store: 'appconfig';
  application: string;
  environment: string;
  profile: string;
}

export type RemoteDescriptor = S3Descriptor | SsmDescriptor | SecretDescriptor | AppConfigDescriptor;
export type SourceDescriptor = FileDescriptor | EnvDescriptor | ObjectDescriptor | RemoteDescriptor;

/** The stores whose layers come over the network (and need credentials and IAM grants). */
export const REMOTE_STORES: ReadonlySet<SourceDescriptor['store']> = new Set([
  's3',
  'ssm',
  'secrets-manager',
  'appconfig',
]);

// Registered (Symbol.for): a definition built by another copy of strataconf (a `strataconf --loader`
// module with its own node_modules) still tells this copy what its sources read.
export const DESCRIPTOR: unique symbol = Symbol.for('strataconf.descriptor') as never;

/** What `source` reads, or `undefined` for a user-written source. */
export function describeSource(source: Source<string> | Source): SourceDescriptor | undefined {
  const descriptor = (source as { [DESCRIPTOR]?: unknown })[DESCRIPTOR];
  return typeof descriptor === 'object' && descriptor !== null ? (descriptor as SourceDescriptor) : undefined;
}

/** True for a layer read over the network (S3, SSM, Secrets Manager, AppConfig). */
export function isRemote(descriptor: SourceDescriptor | undefined): descriptor is RemoteDescriptor {
  return descriptor !== undefined && REMOTE_STORES.has(descriptor.store);
}

/** The cache identity of a built-in source (its kind and location as a string); see {@link identityOf}. */
export const SOURCE_KEY: unique symbol = Symbol('strataconf.sourceKey');

/**
 * Puts `descriptor` on `source`, and the cache identity derived from it (`key`, when the factory
 * keeps a memo of it). Enumerable, so a spread copy of a source (`{ ...source, load }`, as
 * a wrapper writes) still says what it reads.
 */
export function describe<S extends object>(
  source: S,
  descriptor: SourceDescriptor,
  key: string = identityOf(descriptor),
): S & { [SOURCE_KEY]: string } {
  // Plain assignments (not defineProperty): a handler that builds its sources on every call builds
  // them in well under a microsecond, and V8 keeps one shape for every source of a kind.
  const described = source as S & { [DESCRIPTOR]: SourceDescriptor; [SOURCE_KEY]: string };
  described[DESCRIPTOR] = descriptor;
  described[SOURCE_KEY] = key;
  return described;
}

/** The cache identity `source` carries, if a factory gave it one. */
export function sourceKey(source: object): string | undefined {
  return (source as { [SOURCE_KEY]?: string })[SOURCE_KEY];
}

/**
 * Keys of map-less env sources, per prefix and separator: a handler that calls `fromEnv` on every
 * invocation hands the cache the same string each time (V8 keeps its hash) instead of a new JSON
 * text. Bounded: a program with many prefixes just builds the key again.
 */
const plainEnvKeys = new Map<string, Map<string, string>>();
const MAX_PLAIN_KEYS = 256;

function plainEnvKey(prefix: string, separator: string): string {
  let bySeparator = plainEnvKeys.get(prefix);
  if (bySeparator === undefined) {
    if (plainEnvKeys.size >= MAX_PLAIN_KEYS) plainEnvKeys.clear();
    bySeparator = new Map();
    plainEnvKeys.set(prefix, bySeparator);
  }
  let key = bySeparator.get(separator);
  if (key === undefined) {
    key = `env:${JSON.stringify([prefix, separator, null])}`;
    bySeparator.set(separator, key);
  }
  return key;
}

/**
 * The variables an env source reads from `env`, by name (sorted: the layer does not depend on their
 * order): every one under the prefix, and each variable of the map. A variable set to `undefined`
 * is not set.
 */
export function variablesRead(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string | undefined,
  map: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (prefix !== undefined) {
    for (const name of Object.keys(env))
      if (name.startsWith(prefix) && env[name] !== undefined) out[name] = env[name] as string;
  }
  if (map !== undefined)
    for (const variable of Object.values(map)) {
      const value = env[variable];
      if (value !== undefined) out[variable] = value;
    }
  return out;
}

/**
 * An explicit `env` object's part of the key: the variables it gives the source, by content, as a
 * number (so the key a source carries, which `util.inspect` of the source shows, holds no value).
 * `process.env` itself given as `env` is what a source without `env` reads: no values. A handler may
 * build its source on every call: the variables are looked up name by name in a tree of Maps, which
 * hashes strings V8 already hashed, rather than joined into one new string to hash.
 */
function envContent(d: EnvDescriptor): string {
  const env = d.env;
  if (env === undefined || env === process.env) return '';
  const names: string[] = [];
  if (d.prefix !== undefined) {
    const all = Object.keys(env);
    for (let i = 0; i < all.length; i++) {
      const name = all[i] as string;
      if (name.startsWith(d.prefix)) names.push(name);
    }
  }
  if (d.map !== undefined) names.push(...Object.values(d.map));
  // Sorted: the layer does not depend on the variables' order, so neither does the key.
  if (names.length > 1) names.sort();
  const parts: unknown[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = env[name];
    if (value !== undefined && name !== names[i - 1]) parts.push(name, value);
  }
  return `#${internedParts(parts)}`;
}

/** The region and client of an AWS layer: two layers that differ in either may read different values. */
function place(d: { region?: string; client?: object }): string {
  return `${d.region ?? ''}@${d.client === undefined ? '' : identity(d.client)}`;
}

/**
 * The cache identity of what a source reads: its store, its location and the options that change
 * what it reads (never what it read). Two sources with one identity must read the same values.
 */
export function identityOf(d: SourceDescriptor): string {
  switch (d.store) {
    case 'file':
      return `file:${d.path}`;
    case 'env': {
      const given = envContent(d);
      if (d.map === undefined && d.prefix !== undefined && given === '')
        return plainEnvKey(d.prefix, d.separator);
      return `env:${JSON.stringify([d.prefix ?? null, d.separator, d.map ?? null])}${given}`;
    }
    case 'object':
      // fromObject passes the key of its content (objectKey); a bare descriptor, by its value's identity.
      return `object@${identity(d.value)}`;
    case 's3':
      return `s3:${place(d)}:${d.bucket}/${d.key}${d.versionId === undefined ? '' : `#${d.versionId}`}`;
    case 'ssm':
      return `ssm:${place(d)}:${d.path}`;
    case 'secrets-manager':
      return `secret:${place(d)}:${d.secretId}#${d.versionStage ?? ''}@${d.at ?? ''}`;
    case 'appconfig':
      return `appconfig:${place(d)}:${JSON.stringify([d.application, d.environment, d.profile])}`;
  }
}
