import { ConfigError, formatPath, isConfigError, type ValidationIssue } from './errors.js';
import type { Node } from './layer-tree.js';

interface SafeParseResult {
  success: boolean;
  data?: unknown;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}

interface Parser {
  safeParse(value: unknown): SafeParseResult;
  safeParseAsync(value: unknown): Promise<SafeParseResult>;
}

/** The source that supplied the value at `path`: the leaf there, or the leaf (an array) it lies in. */
export function sourceAt(root: Node, path: readonly string[]): string | undefined {
  let node: Node | undefined = root;
  for (const key of path) {
    if (node === undefined) return undefined;
    if (node.kind === 'leaf') return node.source;
    node = node.children.get(key);
  }
  return node?.kind === 'leaf' ? node.source : undefined;
}

const WITHHELD = 'message withheld: it may quote a config value';

/**
 * A refine or transform that throws (`JSON.parse`, `BigInt`, `new URL` in a transform) instead of
 * reporting an issue: a `VALIDATION_ERROR` whose cause keeps the thrown error's name and stack
 * frames, but not its message, which often quotes the value ("hunter2" is not valid JSON).
 */
function schemaThrew(err: unknown): ConfigError {
  if (isConfigError(err)) return err;
  const name = err instanceof Error ? err.name : typeof err;
  const frames =
    err instanceof Error
      ? String(err.stack)
          .split('\n')
          .filter((l) => /^\s+at /.test(l))
      : [];
  const cause = new Error(WITHHELD);
  cause.name = name;
  cause.stack = [`${name}: ${WITHHELD}`, ...frames].join('\n');
  return new ConfigError(
    'VALIDATION_ERROR',
    `the schema threw a ${name} while parsing the config (a refine or transform threw instead of reporting an issue; its message is withheld, its stack is the cause's)`,
    { issues: [], thrown: name },
    { cause },
  );
}

async function parse(schema: Parser, value: unknown): Promise<SafeParseResult> {
  try {
    // Always the async parse: a sync parse of a schema with an async refine starts the refine, then
    // throws, and the refine's promise later rejects unhandled (which ends a Lambda process).
    if (typeof schema.safeParseAsync === 'function') return await schema.safeParseAsync(value);
    return schema.safeParse(value);
  } catch (err) {
    throw schemaThrew(err);
  }
}

/**
 * Runs the schema over the merged config (so defaults and transforms apply). A failure lists every
 * issue with the source that supplied the value; values never appear in the message.
 */
/**
 * A config is an object: a schema whose output is not one (a transform to a string, a number, null)
 * is a mistake in the schema, reported as such rather than as a crash further down.
 */
function objectOutput(data: unknown): unknown {
  if (typeof data === 'object' && data !== null) return data;
  const kind = data === null ? 'null' : typeof data;
  throw new ConfigError(
    'VALIDATION_ERROR',
    `the schema's output is ${kind === 'undefined' || kind === 'null' ? kind : `a ${kind}`}, not an object: a config is an object (check the schema's transforms)`,
    { issues: [{ path: [], message: `the schema's output must be an object, not ${kind}` }] },
  );
}

export async function validate(
  schema: unknown,
  value: Record<string, unknown>,
  root: Node,
): Promise<unknown> {
  if (schema === undefined) return value;
  if (typeof (schema as Parser)?.safeParse !== 'function') {
    throw new ConfigError('USAGE', 'the schema option must be a zod schema');
  }
  const result = await parse(schema as Parser, value);
  if (result.success) return objectOutput(result.data);
  const issues: ValidationIssue[] = (result.error?.issues ?? []).map((issue) => {
    const path = issue.path.map(String);
    const source = sourceAt(root, path);
    return source === undefined ? { path, message: issue.message } : { path, message: issue.message, source };
  });
  const lines = issues.map(
    (i) => `  - ${formatPath(i.path)}: ${i.message}${i.source ? ` (from ${i.source})` : ''}`,
  );
  const count = issues.length === 1 ? '1 issue' : `${issues.length} issues`;
  throw new ConfigError(
    'VALIDATION_ERROR',
    `the config does not match the schema (${count}):\n${lines.join('\n')}`,
    {
      issues,
    },
  );
}
