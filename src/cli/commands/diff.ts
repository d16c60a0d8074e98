import { type CommandArgs, parseCommandArgs, usageError } from '../args.js';
import { type DiffEntry, diffConfigs, diffLeaves, diffText } from '../diff.js';
import { loadSideInChild, newDigestKey, parseSetEnv, reportSide, SIDE_FLAG } from '../diff-side.js';
import { toJson } from '../formats.js';
import { type CliIo, paintFor } from '../io.js';
import { createRedactor, REDACTED, SHOW_ALL } from '../redact.js';
import { loadStack, resolveStack } from '../stack.js';

/** One side of `diff LEFT -- RIGHT`: its arguments as given and as parsed. */
interface Side {
  argv: string[];
  args: CommandArgs;
}

/** The two sides of `diff LEFT -- RIGHT`, each parsed like a command of its own. */
export function parseDiffArgs(argv: string[]): { left: CommandArgs; right: CommandArgs } {
  const { left, right } = splitSides(argv);
  return { left: left.args, right: right.args };
}

function splitSides(argv: string[]): { left: Side; right: Side } {
  const split = argv.indexOf('--');
  if (split === -1) {
    throw usageError('diff compares two stacks: give the left sources, then --, then the right ones', 'diff');
  }
  const side = (part: string[]): Side => ({ argv: part, args: parseCommandArgs('diff', part) });
  const left = side(argv.slice(0, split));
  const right = side(argv.slice(split + 1));
  const positional = left.args.positionals[0] ?? right.args.positionals[0];
  if (positional !== undefined)
    throw usageError(`diff takes no positional arguments (got "${positional}")`, 'diff');
  if (left.args.strings.format !== undefined && right.args.strings.format !== undefined) {
    throw usageError('--format may be given only once', 'diff');
  }
  return { left, right };
}

/** What both ways of loading the sides produce: the differences, and whether either side had a schema. */
interface Compared {
  entries: DiffEntry[];
  schema: boolean;
}

/** Both sides in this process (no `--set-env`): the configs compared directly. */
async function compareHere(
  left: CommandArgs,
  right: CommandArgs,
  io: CliIo,
  show: boolean,
): Promise<Compared> {
  const [a, b] = await Promise.all([resolveStack(left.stack, io), resolveStack(right.stack, io)]);
  // One side after the other, so warnings come out in a stable order.
  const l = await loadStack(a, io, show);
  const r = await loadStack(b, io, show);
  const redactor = show ? SHOW_ALL : createRedactor([a.schema, b.schema], [l.config, r.config]);
  const schema = a.schema !== undefined || b.schema !== undefined;
  return { entries: diffConfigs(l.config, r.config, redactor), schema };
}

/** Each side in a child process with its own `--set-env` variables; `undefined` when a side failed. */
async function compareInChildren(left: Side, right: Side, io: CliIo, show: boolean) {
  const key = newDigestKey();
  const run = (side: Side) =>
    loadSideInChild({ argv: side.argv, env: parseSetEnv(side.args.lists?.['set-env'] ?? []), key, show }, io);
  const [l, r] = await Promise.all([run(left), run(right)]);
  io.stderr.write(l.stderr + r.stderr);
  for (const [name, side] of [
    ['left', l],
    ['right', r],
  ] as const) {
    if (!side.report) io.stderr.write(`strataconf: the ${name} side did not load (exit ${side.code})\n`);
  }
  if (!l.report || !r.report) return { code: Math.max(l.code, r.code) };
  // A path either side holds secret prints redacted on both (the other side's schema counts too).
  const redactor = show
    ? SHOW_ALL
    : createRedactor([], [], [...l.report.secretPaths, ...r.report.secretPaths]);
  const entries = diffLeaves(l.report.leaves, r.report.leaves, redactor);
  return { compared: { entries, schema: l.report.schema || r.report.schema } };
}

/** Neither side has a schema: say that only key names mark secrets, when something printed in clear. */
function noteUnmarked(compared: Compared, show: boolean, io: CliIo): void {
  if (show || compared.schema) return;
  const clear = compared.entries.some((e) => [e.left, e.right].some((s) => s && s.value !== REDACTED));
  if (!clear) return;
  io.stderr.write(
    'strataconf: note: neither side has a schema (--loader), so nothing marks values secret but their keys ' +
      '(password, secret, token, apiKey, privateKey, credential): the other values print in clear\n',
  );
}

/** `strataconf diff LEFT -- RIGHT`: exit 0 when the configs are equal, 1 when they differ. */
export async function diff(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === SIDE_FLAG) return reportSide(argv.slice(1), io);
  const { left, right } = splitSides(argv);
  const format = left.args.strings.format ?? right.args.strings.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw usageError(`--format must be text or json, not "${format}"`, 'diff');
  }
  const show = left.args.flags.has('show-secrets') || right.args.flags.has('show-secrets');
  let compared: Compared;
  if (left.args.lists?.['set-env'] || right.args.lists?.['set-env']) {
    const outcome = await compareInChildren(left, right, io, show);
    if (!outcome.compared) return outcome.code ?? 1;
    compared = outcome.compared;
  } else {
    compared = await compareHere(left.args, right.args, io, show);
  }
  const { entries } = compared;
  io.stdout.write(
    format === 'json' ? `${toJson(entries)}\n` : diffText(entries, paintFor(io.stdout, io.env)),
  );
  noteUnmarked(compared, show, io);
  return entries.length === 0 ? 0 : 1;
}
