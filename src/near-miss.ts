import { formatPath } from './errors.js';
import type { KeyNamer } from './layer-meta.js';
import { type Branch, childPath, lookup } from './layer-tree.js';
import type { MissingOverride } from './merge.js';
import { childScope, declares, OPEN, type Scope, scopeOf, UNDECLARED } from './schema-keys.js';
import { closest } from './suggest.js';

/**
 * A missing `$override` beside a key that looks like a typo of it (`db.host` unset, `db.hots` set by
 * the stage's layer): the unknown-key warning says so too, but it is written elsewhere, and on
 * Lambda the init error is often all anyone sees. Runs only when a load already failed.
 */

/** A key set beside a missing `$override` whose name is near it. */
export interface NearMiss {
  /** The path of the near key (`['db', 'hots']`). */
  path: string[];
  /** The source that set it. */
  source: string;
  /** How the message names it: `db.hots from s3://b/k`, or the variable (`APP_DB__HOTS (db.hots)`). */
  label: string;
}

/** The schema's scope at `path`, or OPEN when the schema does not say (none, open, undeclared). */
function scopeAt(schema: unknown, path: readonly string[]): Scope {
  if (schema === undefined) return OPEN;
  let scope: Scope | typeof UNDECLARED = scopeOf(schema);
  for (const key of path) {
    if (scope === OPEN || scope === UNDECLARED) return OPEN;
    scope = childScope(scope, key);
  }
  return scope === UNDECLARED ? OPEN : scope;
}

/**
 * The key beside `missing` (same parent) nearest to its name, when one is near: never a key the
 * schema declares (that one is not a typo), nor another unset `$override`.
 */
export function nearMissOf(
  root: Branch,
  missing: MissingOverride,
  schema: unknown,
  namers: ReadonlyMap<string, KeyNamer>,
): NearMiss | undefined {
  const wanted = missing.path.at(-1);
  const parentPath = missing.path.slice(0, -1);
  const parent = wanted === undefined ? undefined : lookup(root, parentPath);
  if (wanted === undefined || parent?.kind !== 'branch') return undefined;
  const scope = scopeAt(schema, parentPath);
  const candidates = [...parent.children].filter(
    ([key, node]) =>
      key !== wanted &&
      !(node.kind === 'leaf' && node.marker === 'override') &&
      (scope === OPEN || !declares(scope, key)),
  );
  const near = closest(wanted, candidates, ([key]) => key);
  if (near === undefined) return undefined;
  const path = childPath(parentPath, near[0]);
  const source = near[1].source;
  const named = namers.get(source)?.(path)[0];
  return { path, source, label: named?.label ?? `${formatPath(path)} from ${source}` };
}
