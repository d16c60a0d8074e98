import { explainConfig } from '../../explain.js';
import { type CommandArgs, usageError } from '../args.js';
import { type CliIo, paintFor } from '../io.js';
import { loadStack, resolveStack } from '../stack.js';

/** The warnings `validate --strict` fails on: a typo, a value replaced unmarked, a layer missing. */
const STRICT_CODES = new Set(['UNKNOWN_KEY', 'UNEXPECTED_OVERRIDE', 'SOURCE_DROPPED']);

/**
 * `strataconf validate`: exit 0 with one "ok" line, or 1 with the error (printed by `run`). With
 * `--strict`, the warnings above fail the check too (exit 1), for CI.
 */
export async function validate(args: CommandArgs, io: CliIo): Promise<number> {
  if (args.positionals.length > 0) {
    throw usageError(`validate takes no positional arguments (got "${args.positionals[0]}")`, 'validate');
  }
  const options = await resolveStack(args.stack, io);
  const { config, warnings, degraded } = await loadStack(options, io, false);
  const denied = degraded.filter((d) => d.state === 'dropped' && d.kind === 'denied').map((d) => d.source);
  if (denied.length > 0) {
    const paint = paintFor(io.stderr, io.env);
    io.stderr.write(
      `strataconf: ${paint.yellow('hint')}: access to ${denied.join(', ')} was denied: strataconf iam, given the same sources, prints the policy the function's role needs\n`,
    );
  }
  const failing = args.flags.has('strict') ? warnings.filter((w) => STRICT_CODES.has(w.code ?? '')) : [];
  if (failing.length > 0) {
    const paint = paintFor(io.stderr, io.env);
    const codes = [...new Set(failing.map((w) => w.code))].join(', ');
    const count = failing.length === 1 ? '1 warning fails' : `${failing.length} warnings fail`;
    io.stderr.write(`strataconf: ${paint.red('STRICT')}: ${count} validate --strict (${codes}); see above\n`);
    return 1;
  }
  const values = explainConfig(config).length;
  const sources = options.sources.filter((s) => s.enabled !== false).length;
  const schema = options.schema === undefined ? 'no schema' : 'schema passed';
  const ok = paintFor(io.stdout, io.env).green('ok');
  io.stdout.write(
    `${ok}: config valid (${values} ${values === 1 ? 'value' : 'values'} from ${sources} ${sources === 1 ? 'source' : 'sources'}, ${schema})\n`,
  );
  return 0;
}
