import { ConfigError, formatPath } from './errors.js';
import type { KeyName, KeyNamer } from './layer-meta.js';
import { childPath, isPlainObject, type Node } from './layer-tree.js';
import type { KeyCheck } from './merge.js';
import { childScope, declaredPaths, declares, OPEN, type Scope, scopeOf, UNDECLARED } from './schema-keys.js';
import { closest } from './suggest.js';
import type { Logger } from './types.js';

/**
 * Unknown keys: a key a layer sets that the schema does not declare (a typo the schema would
 * otherwise drop in silence). Found while `materialize` walks the merged tree, so a load walks it
 * once; reported with the source that set the key and the nearest declared key.
 */

/** An undeclared key, where it is, who set it, and the scope it is missing from. */
interface Found {
  path: string[];
  sources: string[];
  scope: Scope;
}

/** One unknown key as a warning's or an error's details. */
export interface UnknownKey {
  code: 'UNKNOWN_KEY';
  /** The undeclared key's path. */
  path: string[];
  /** The source that set it. */
  source: string;
  /** The nearest declared path, when one is near. */
  suggestion?: string[];
  [key: string]: unknown;
}

/** Every source that set something at or below `node`. */
function sourcesOf(node: Node, into: Set<string>): Set<string> {
  if (node.kind === 'leaf') {
    for (const s of node.overridden) into.add(s);
    into.add(node.source);
  } else {
    if (node.children.size === 0) into.add(node.source);
    for (const child of node.children.values()) sourcesOf(child, into);
  }
  return into;
}

/** The check `materialize` runs at every key of the merged tree while the schema is closed there. */
export function unknownKeyCheck(schema: unknown): KeyCheck<Scope> & { found: Found[] } {
  const found: Found[] = [];
  /** Keys inside an array leaf (objects in arrays), checked against the element schema. */
  const checkValue = (value: unknown, scope: Scope, path: string[], source: string): void => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        // Scalars have no keys; an index the schema has no array for fails the schema instead.
        if (typeof item !== 'object' || item === null) continue;
        const next = childScope(scope, String(i));
        if (next !== OPEN && next !== UNDECLARED) checkValue(item, next, childPath(path, String(i)), source);
      }
      return;
    }
    if (!isPlainObject(value)) return;
    for (const key of Object.keys(value)) {
      const item = value[key];
      const next = childScope(scope, key);
      if (next === UNDECLARED) found.push({ path: childPath(path, key), sources: [source], scope });
      else if (next !== OPEN && typeof item === 'object' && item !== null)
        checkValue(item, next, childPath(path, key), source);
    }
  };
  return {
    found,
    root: scopeOf(schema),
    child(scope, key, node, parentPath) {
      // Most keys are scalar leaves: whether they are declared is all there is to know.
      if (node.kind === 'leaf' && (typeof node.value !== 'object' || node.value === null)) {
        if (!declares(scope, key))
          found.push({ path: childPath(parentPath, key), sources: [...sourcesOf(node, new Set())], scope });
        return undefined;
      }
      const next = childScope(scope, key);
      if (next === UNDECLARED) {
        found.push({ path: childPath(parentPath, key), sources: [...sourcesOf(node, new Set())], scope });
        return undefined;
      }
      if (next === OPEN) return undefined;
      if (node.kind === 'leaf' && Array.isArray(node.value))
        checkValue(node.value, next, childPath(parentPath, key), node.source);
      return next;
    },
  };
}

/** The declared path nearest to an unknown one: a sibling, or a path below the parent once joined. */
function suggestion(f: Found): string[] | undefined {
  const parent = f.path.slice(0, -1);
  const wanted = f.path[f.path.length - 1] as string;
  const best = closest(wanted, declaredPaths(f.scope, 3), (p) => p.join(''));
  return best && [...parent, ...best];
}

/** The warnings for one unknown key: one per source, and per name the source gives it. */
function describe(
  f: Found,
  namers: ReadonlyMap<string, KeyNamer>,
): { message: string; details: UnknownKey }[] {
  const suggested = suggestion(f);
  const dotted = formatPath(f.path);
  return f.sources.flatMap((source) => {
    const base: UnknownKey = { code: 'UNKNOWN_KEY', path: f.path, source };
    if (suggested) base.suggestion = suggested;
    const names: readonly KeyName[] = namers.get(source)?.(f.path) ?? [];
    if (names.length === 0) {
      const hint = suggested ? `; did you mean ${formatPath(suggested)}?` : '';
      return [{ message: `${dotted} from ${source} is not in the schema${hint}`, details: base }];
    }
    return names.map((name) => {
      const hint = suggested ? `; did you mean ${name.suggest?.(suggested) ?? formatPath(suggested)}?` : '';
      return { message: `${name.label} is not in the schema${hint}`, details: { ...base, ...name.details } };
    });
  });
}

/**
 * Reports what the check found: a warning each (`'warn'`), or one `UNKNOWN_KEY` error listing all
 * (`'error'`). Nothing is found under `'ignore'`, which skips the check.
 */
export function reportUnknownKeys(
  found: readonly Found[],
  namers: ReadonlyMap<string, KeyNamer>,
  policy: 'warn' | 'error' | 'ignore' | undefined,
  logger: Logger,
): void {
  if (found.length === 0 || policy === 'ignore') return;
  const reports = found.flatMap((f) => describe(f, namers));
  if (policy === 'error') {
    const lines = reports.map((r) => `  - ${r.message}`);
    const what = reports.length === 1 ? '1 key is' : `${reports.length} keys are`;
    throw new ConfigError('UNKNOWN_KEY', `${what} not in the schema:\n${lines.join('\n')}`, {
      unknownKeys: reports.map((r) => r.details),
    });
  }
  for (const r of reports) logger.warn(r.message, r.details);
}
