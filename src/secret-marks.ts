import { type SecretMark, secretMarkOf } from './layer-meta.js';
import { type Branch, isPlainObject, type Node } from './layer-tree.js';
import { secretPaths } from './schema.js';
import {
  INSPECT,
  inspectRedacted,
  isSecretKey,
  isUrlKey,
  SECRETS,
  type SecretKeys,
  secretsOf,
  urlPassword,
} from './secrets.js';

/**
 * Marks the secrets of a config as it is loaded, before it is frozen: each object that holds a
 * secret gets a non-enumerable mark (what secrets.ts reads) and a `util.inspect` hook that shows
 * its redacted copy. Secret: the schema's `.meta({ secret: true })`, the values a source marked
 * (a SecureString parameter, a secret) where that source set the final value, and key names.
 */

/** Per load (keyed by its merged tree): source name -> the secret marks of its layers. */
const layerMarks = new WeakMap<Branch, Map<string, SecretMark[]>>();

/** Called by the pipeline for each layer it merges (a deferred layer: the object it resolved to). */
export function noteLayerSecrets(root: Branch, source: string, layer: unknown): void {
  const mark = secretMarkOf(layer);
  if (mark === undefined) return;
  const bySource = layerMarks.get(root) ?? new Map<string, SecretMark[]>();
  layerMarks.set(root, bySource);
  bySource.set(source, [...(bySource.get(source) ?? []), mark]);
}

const startsWith = (path: readonly string[], prefix: readonly string[]): boolean =>
  prefix.length <= path.length && prefix.every((key, i) => key === path[i]);

/** A mark covers a leaf at, below, or (an array holding a marked value) above a marked path. */
function covers(marks: readonly SecretMark[], path: readonly string[]): boolean {
  return marks.some((mark) => mark === true || mark.some((p) => startsWith(path, p) || startsWith(p, path)));
}

/** Paths of the leaves whose final value came from a marked part of its source's layer. */
function sourceSecretPaths(root: Branch): string[][] {
  const bySource = layerMarks.get(root);
  if (bySource === undefined) return [];
  const out: string[][] = [];
  const walk = (node: Node, path: string[]): void => {
    if (node.kind === 'branch') for (const [key, child] of node.children) walk(child, [...path, key]);
    else if (covers(bySource.get(node.source) ?? [], path)) out.push(path);
  };
  walk(root, []);
  return out;
}

/** Secret paths as a tree, walked beside the config; `*` matches any key (schema records, arrays). */
interface Pattern {
  secret: boolean;
  children: Map<string, Pattern>;
}

function patternTree(paths: readonly (readonly string[])[]): Pattern {
  const root: Pattern = { secret: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      const next = node.children.get(key) ?? { secret: false, children: new Map() };
      node.children.set(key, next);
      node = next;
    }
    node.secret = true;
  }
  return root;
}

const NONE: readonly Pattern[] = [];

function step(live: readonly Pattern[], key: string): readonly Pattern[] {
  if (live.length === 0) return NONE;
  const next: Pattern[] = [];
  for (const pattern of live) {
    const exact = pattern.children.get(key);
    const any = pattern.children.get('*');
    if (exact) next.push(exact);
    if (any) next.push(any);
  }
  return next.length > 0 ? next : NONE;
}

function mark(value: object, keys: SecretKeys): void {
  const old = secretsOf(value);
  // An object reached twice (a schema transform may share one): secret wherever either place says.
  const merged = old === true || keys === true ? true : old ? [...new Set([...old, ...keys])] : keys;
  // Frozen already: a transform's own value, or one an earlier load marked and froze (a shared
  // default). Its mark, if any, stays; redact() still goes by key names.
  if (!Object.isExtensible(value)) return;
  Object.defineProperty(value, SECRETS, { value: merged, configurable: true });
  Object.defineProperty(value, INSPECT, { value: inspectRedacted, configurable: true });
}

const isContainer = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && (Array.isArray(value) || isPlainObject(value));

/** Marks `value` and every object inside it as wholly secret. */
function markAll(value: object, seen: WeakSet<object>): void {
  if (seen.has(value)) return;
  seen.add(value);
  mark(value, true);
  for (const child of Object.values(value)) if (isContainer(child)) markAll(child, seen);
}

const anySecret = (live: readonly Pattern[]): boolean => live.some((p) => p.secret);

/**
 * Marks the secrets below `value`; true when it holds one. A cold load runs this once per key,
 * mostly in V8's interpreter: indexed loops, and no pattern work where no schema or source path
 * leads (the common case). Arrays' indices are never secret names.
 */
function markBelow(value: object, live: readonly Pattern[], seen: WeakSet<object>): boolean {
  // A schema transform may return shared or cyclic objects: each is walked once.
  if (seen.has(value)) return secretsOf(value) !== undefined;
  seen.add(value);
  const isArray = Array.isArray(value);
  if (isArray && live.length === 0) return markInArray(value, seen);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(value);
  let secret: string[] | undefined;
  let holds = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const child = record[key];
    const next = live.length === 0 ? NONE : step(live, key);
    if ((!isArray && isSecretKey(key)) || (next !== NONE && anySecret(next))) {
      if (secret === undefined) secret = [];
      secret.push(key);
      if (isContainer(child)) markAll(child, seen);
    } else if (
      typeof child === 'object' &&
      child !== null &&
      isContainer(child) &&
      markBelow(child, next, seen)
    ) {
      holds = true;
    } else if (typeof child === 'string' && !isArray && isUrlKey(key) && urlPassword(child) !== undefined) {
      // A URL with a password: the object gets the inspect hook, which shows the password redacted.
      holds = true;
    }
  }
  if (secret === undefined && !holds) return false;
  mark(value, secret ?? []);
  return true;
}

/** An array no secret path leads into: only the objects in it can hold secrets (no index strings made). */
function markInArray(array: readonly unknown[], seen: WeakSet<object>): boolean {
  let holds = false;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    if (typeof item === 'object' && item !== null && isContainer(item) && markBelow(item, NONE, seen))
      holds = true;
  }
  if (holds) mark(array, []);
  return holds;
}

const schemaSecrets = new WeakMap<object, string[][]>();

function schemaSecretPaths(schema: unknown): string[][] {
  if (typeof schema !== 'object' || schema === null) return [];
  const paths = schemaSecrets.get(schema) ?? secretPaths(schema);
  schemaSecrets.set(schema, paths);
  return paths;
}

/** Marks the secrets of a validated config (before it is frozen) and returns it. */
export function markSecrets<T>(config: T, root: Branch, schema: unknown): T {
  if (!isContainer(config)) return config;
  const patterns = patternTree([...schemaSecretPaths(schema), ...sourceSecretPaths(root)]);
  const seen = new WeakSet<object>();
  if (patterns.secret) markAll(config, seen);
  else markBelow(config, patterns.children.size > 0 ? [patterns] : NONE, seen);
  return config;
}
