import { isPlainObject, isUnsafeKey } from '../../layer-tree.js';
import { unwrap } from '../../schema.js';

/**
 * One layer checked against the schema read partially: every key optional, markers allowed in
 * value position. Objects are walked key by key (unknown keys, markers); anything else (a scalar,
 * an array, an object where the schema expects a scalar) is parsed by the schema's own node there,
 * so its type and refinements are checked as the load would. Messages never quote a value.
 */

interface ZodNode {
  _zod: { def: Def };
  safeParseAsync?: (value: unknown) => Promise<ParseResult>;
}

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  catchall?: ZodNode;
  valueType?: unknown;
  options?: unknown[];
  left?: unknown;
  right?: unknown;
}

interface ParseResult {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}

/** What is wrong at `path`; `atKey` when the key itself is the problem (unknown, unsafe). */
export interface Problem {
  path: string[];
  message: string;
  atKey?: boolean;
}

const OPEN = new Set(['any', 'unknown']);

/** Edits from `a` to `b`, a swap of two neighbours counting as one (`hots` -> `host`). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The declared key closest to a typo, when one is close enough to be what was meant. */
export function closest(key: string, declared: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const candidate of declared) {
    const score = candidate.toLowerCase() === key.toLowerCase() ? 0 : distance(key, candidate);
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

const dotted = (path: readonly string[]) => path.join('.') || '(top level)';

async function parseLeaf(value: unknown, schema: unknown, path: string[]): Promise<Problem[]> {
  const node = schema as ZodNode;
  if (typeof node?.safeParseAsync !== 'function') return [];
  try {
    const result = await node.safeParseAsync(value);
    if (result.success) return [];
    return (result.error?.issues ?? []).map((issue) => ({
      path: [...path, ...issue.path.map(String)],
      message: issue.message,
    }));
  } catch (err) {
    return [
      { path, message: `the schema threw a ${err instanceof Error ? err.name : typeof err} on this value` },
    ];
  }
}

function checkMarker(
  value: Record<string, unknown>,
  schema: unknown,
  path: string[],
  depth: number,
): Promise<Problem[]> | Problem[] {
  const keys = Object.keys(value);
  const marker = '$override' in value ? '$override' : '$default';
  if (keys.length > 1) return [{ path, message: `"${marker}" must be the only key of its object` }];
  if (marker === '$default') return checkValue(value.$default, schema, [...path, '$default'], depth + 1);
  if (typeof value.$override === 'string') return [];
  return [
    {
      path: [...path, '$override'],
      message: '$override takes a string: why the value is needed and where to set it',
    },
  ];
}

/** The keys an object position declares, and the schema of the others (undefined: refused). */
function shapeOf(def: Def): { shape: Record<string, unknown>; rest?: unknown } | undefined {
  if (def.type === 'object') {
    const rest = def.catchall && def.catchall._zod.def.type !== 'never' ? def.catchall : undefined;
    return { shape: def.shape ?? {}, rest };
  }
  if (def.type === 'record') return { shape: {}, rest: def.valueType };
  if (def.type === 'intersection') {
    const [left, right] = [unwrap(def.left)?._zod.def, unwrap(def.right)?._zod.def].map(
      (d) => d && shapeOf(d as Def),
    );
    if (!left || !right) return undefined;
    return { shape: { ...left.shape, ...right.shape }, rest: left.rest ?? right.rest };
  }
  return undefined;
}

async function checkObject(
  value: Record<string, unknown>,
  def: Def,
  path: string[],
  depth: number,
): Promise<Problem[] | undefined> {
  const shape = shapeOf(def);
  if (!shape) return undefined;
  const problems: Problem[] = [];
  const declared = Object.keys(shape.shape);
  for (const key of Object.keys(value)) {
    const at = [...path, key];
    if (isUnsafeKey(key))
      problems.push({ path: at, message: `the key "${key}" is not allowed in configuration`, atKey: true });
    else if (Object.hasOwn(shape.shape, key))
      problems.push(...(await checkValue(value[key], shape.shape[key], at, depth + 1)));
    else if (path.length === 0 && key === '$schema') {
      if (typeof value[key] !== 'string')
        problems.push({ path: at, message: '$schema must be a string (the JSON Schema for editors)' });
    } else if (shape.rest !== undefined)
      problems.push(...(await checkValue(value[key], shape.rest, at, depth + 1)));
    else {
      const near = closest(key, declared);
      const hint = near === undefined ? '' : `; did you mean ${dotted([...path, near])}?`;
      problems.push({ path: at, message: `${dotted(at)} is not in the schema${hint}`, atKey: true });
    }
  }
  return problems;
}

/** The union option that fits an object best: none wrong, else the fewest problems. */
async function checkUnion(
  value: Record<string, unknown>,
  def: Def,
  path: string[],
  depth: number,
): Promise<Problem[] | undefined> {
  let best: Problem[] | undefined;
  for (const option of def.options ?? []) {
    const optionDef = unwrap(option)?._zod.def as Def | undefined;
    if (!optionDef || !shapeOf(optionDef)) continue;
    const problems = await checkValue(value, option, path, depth + 1);
    if (problems.length === 0) return [];
    if (!best || problems.length < best.length) best = problems;
  }
  return best;
}

/** Every problem of `value` at `path`, where the schema expects `schema`. */
export async function checkValue(
  value: unknown,
  schema: unknown,
  path: string[] = [],
  depth = 0,
): Promise<Problem[]> {
  if (depth > 100) return [];
  if (!isPlainObject(value)) return parseLeaf(value, schema, path);
  if ('$override' in value || '$default' in value) return checkMarker(value, schema, path, depth);
  const def = unwrap(schema)?._zod.def as Def | undefined;
  if (!def || OPEN.has(def.type)) return [];
  const walked =
    def.type === 'union'
      ? await checkUnion(value, def, path, depth)
      : await checkObject(value, def, path, depth);
  return walked ?? parseLeaf(value, schema, path);
}
