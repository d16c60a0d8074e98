import { explainConfig } from '../../explain.js';
import { type CommandArgs, usageError } from '../args.js';
import { type CliIo, paintFor } from '../io.js';
import { loadStack, resolveStack } from '../stack.js';

/** `strataconf validate`: exit 0 with one "ok" line, or 1 with the error (printed by `run`). */
export async function validate(args: CommandArgs, io: CliIo): Promise<number> {
  if (args.positionals.length > 0) {
    throw usageError(`validate takes no positional arguments (got "${args.positionals[0]}")`, 'validate');
  }
  const options = await resolveStack(args.stack, io);
  const { config } = await loadStack(options, io, false);
  const values = explainConfig(config).length;
  const sources = options.sources.length;
  const schema = options.schema === undefined ? 'no schema' : 'schema passed';
  const ok = paintFor(io.stdout, io.env).green('ok');
  io.stdout.write(
    `${ok}: config valid (${values} ${values === 1 ? 'value' : 'values'} from ${sources} ${sources === 1 ? 'source' : 'sources'}, ${schema})\n`,
  );
  return 0;
}
