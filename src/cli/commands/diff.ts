import { type CommandArgs, parseCommandArgs, usageError } from '../args.js';
import { diffConfigs, diffText } from '../diff.js';
import { toJson } from '../formats.js';
import { type CliIo, paintFor } from '../io.js';
import { createRedactor, SHOW_ALL } from '../redact.js';
import { loadStack, resolveStack } from '../stack.js';

/** The two sides of `diff LEFT -- RIGHT`, each parsed like a command of its own. */
export function parseDiffArgs(argv: string[]): { left: CommandArgs; right: CommandArgs } {
  const split = argv.indexOf('--');
  if (split === -1) {
    throw usageError('diff compares two stacks: give the left sources, then --, then the right ones', 'diff');
  }
  const left = parseCommandArgs('diff', argv.slice(0, split));
  const right = parseCommandArgs('diff', argv.slice(split + 1));
  const positional = left.positionals[0] ?? right.positionals[0];
  if (positional !== undefined)
    throw usageError(`diff takes no positional arguments (got "${positional}")`, 'diff');
  if (left.strings.format !== undefined && right.strings.format !== undefined) {
    throw usageError('--format may be given only once', 'diff');
  }
  // A policy given on one side only applies to both: a diff compares like with like.
  left.stack.overrides ??= right.stack.overrides;
  right.stack.overrides ??= left.stack.overrides;
  left.stack.unknownKeys ??= right.stack.unknownKeys;
  right.stack.unknownKeys ??= left.stack.unknownKeys;
  return { left, right };
}

/** `strataconf diff LEFT -- RIGHT`: exit 0 when the configs are equal, 1 when they differ. */
export async function diff(argv: string[], io: CliIo): Promise<number> {
  const { left, right } = parseDiffArgs(argv);
  const format = left.strings.format ?? right.strings.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw usageError(`--format must be text or json, not "${format}"`, 'diff');
  }
  const show = left.flags.has('show-secrets') || right.flags.has('show-secrets');
  const [a, b] = await Promise.all([resolveStack(left.stack, io), resolveStack(right.stack, io)]);
  // One side after the other, so warnings come out in a stable order.
  const l = await loadStack(a, io, show);
  const r = await loadStack(b, io, show);
  const redactor = show ? SHOW_ALL : createRedactor([a.schema, b.schema], [l.config, r.config]);
  const entries = diffConfigs(l.config, r.config, redactor);
  io.stdout.write(
    format === 'json' ? `${toJson(entries)}\n` : diffText(entries, paintFor(io.stdout, io.env)),
  );
  return entries.length === 0 ? 0 : 1;
}
