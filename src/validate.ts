import { ConfigError, formatPath, type ValidationIssue } from './errors.js';
import type { Node } from './merge.js';

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

function parse(schema: Parser, value: unknown): SafeParseResult | Promise<SafeParseResult> {
  try {
    return schema.safeParse(value);
  } catch (err) {
    // zod throws on async refinements in a sync parse; only then pay for the async path.
    if (err instanceof Error && /async|promise/i.test(err.message)) return schema.safeParseAsync(value);
    throw err;
  }
}

/**
 * Runs the schema over the merged config (so defaults and transforms apply). A failure lists every
 * issue with the source that supplied the value; values never appear in the message.
 */
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
  if (result.success) return result.data;
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
