import { isPlainObject } from './layer-tree.js';
import type { LoadResult } from './load-config.js';
import type { ConfigChange, Logger, Source } from './types.js';

/**
 * What changed between two configs of one definition, for its `onChange` listeners: the paths of
 * the leaves added, removed or changed (an array is one leaf, as in `explainConfig`), and the
 * sources whose layers are not the ones the previous config was built from. Values are compared,
 * never put in a message.
 */

/** Structural equality of config values (plain objects, arrays, dates, primitives). */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]))
    );
  }
  return false;
}

/** True for a value whose keys are leaves of their own (a non-empty plain object). */
function isBranch(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).length > 0;
}

/** Every leaf path at or under `path` in `value`. */
function leaves(value: unknown, path: string[], out: string[][]): void {
  if (!isBranch(value)) {
    out.push(path);
    return;
  }
  for (const key of Object.keys(value)) leaves(value[key], [...path, key], out);
}

function walk(before: unknown, after: unknown, path: string[], out: string[][]): void {
  if (isBranch(before) && isBranch(after)) {
    for (const key of Object.keys(before)) {
      if (Object.hasOwn(after, key)) walk(before[key], after[key], [...path, key], out);
      else leaves(before[key], [...path, key], out);
    }
    for (const key of Object.keys(after)) {
      if (!Object.hasOwn(before, key)) leaves(after[key], [...path, key], out);
    }
    return;
  }
  if (same(before, after)) return;
  // A leaf became a branch or the other way: every leaf on either side changed.
  const seen = new Set<string>();
  for (const side of [before, after]) {
    const found: string[][] = [];
    leaves(side, path, found);
    for (const p of found) {
      const id = JSON.stringify(p);
      if (!seen.has(id)) {
        seen.add(id);
        out.push(p);
      }
    }
  }
}

/** The leaf paths added, removed or changed from `before` to `after`. */
export function changedPaths(before: unknown, after: unknown): string[][] {
  const out: string[][] = [];
  walk(before, after, [], out);
  return out;
}

/** The names of the sources whose layer in `after` is not the one `before` was built from. */
export function changedSources(
  sources: readonly Source<string>[],
  before: LoadResult,
  after: LoadResult,
): string[] {
  const enabled = sources.filter((s) => s.enabled !== false);
  const names = enabled.filter((_, i) => before.layers[i] !== after.layers[i]).map((s) => s.name);
  return [...new Set(names)];
}

/**
 * Runs each listener with the change; one that throws (or rejects) becomes a warning naming the
 * error's kind, never its message (which might quote a value), and does not stop the others.
 */
export function notify<C>(
  listeners: Iterable<(change: ConfigChange<C>) => unknown>,
  change: ConfigChange<C>,
  logger: Logger,
): void {
  const warn = (err: unknown) => {
    const kind = err instanceof Error ? err.name : typeof err;
    logger.warn(`an onChange listener threw (${kind}); the config it was told about is in use`, {
      code: 'CHANGE_LISTENER_FAILED',
      error: kind,
    });
  };
  for (const listener of [...listeners]) {
    try {
      const out = listener(change);
      if (typeof (out as Promise<unknown> | undefined)?.then === 'function')
        (out as Promise<unknown>).then(undefined, warn);
    } catch (err) {
      warn(err);
    }
  }
}
