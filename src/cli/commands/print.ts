import { type CommandArgs, usageError } from '../args.js';
import { explainRows, explainTable } from '../explain.js';
import { envPrefix, toEnvLines, toJson, toJson5 } from '../formats.js';
import { type CliIo, paintFor } from '../io.js';
import { loadStack, resolveStack } from '../stack.js';

type Format = 'json' | 'json5' | 'env';

function checkFormat(args: CommandArgs): Format {
  const format = args.strings.format ?? 'json';
  if (format !== 'json' && format !== 'json5' && format !== 'env') {
    throw usageError(`--format must be json, json5 or env, not "${format}"`, 'print');
  }
  if (args.flags.has('explain') && args.strings.format !== undefined && format !== 'json') {
    throw usageError('--explain prints a table, or a JSON array with --format json', 'print');
  }
  if (args.strings.prefix !== undefined && format !== 'env') {
    throw usageError('--prefix applies to --format env only', 'print');
  }
  if (args.positionals.length > 0) {
    throw usageError(`print takes no positional arguments (got "${args.positionals[0]}")`, 'print');
  }
  return format;
}

/** `strataconf print`: the merged config as json/json5/env, or `--explain` rows. */
export async function print(args: CommandArgs, io: CliIo): Promise<number> {
  const format = checkFormat(args);
  const options = await resolveStack(args.stack, io);
  // Checked before loading, so a usage error never waits for S3.
  const prefix =
    format === 'env'
      ? envPrefix(
          args.strings.prefix,
          options.sources.map((s) => s.name),
        )
      : '';
  const show = args.flags.has('show-secrets');
  const { config, redactor } = await loadStack(options, io, show);
  if (args.flags.has('explain')) {
    const rows = explainRows(config, show);
    const explicitJson = args.strings.format === 'json';
    io.stdout.write(explicitJson ? `${toJson(rows)}\n` : explainTable(rows, paintFor(io.stdout, io.env)));
    return 0;
  }
  const shown = redactor.redact(config);
  if (format === 'json') io.stdout.write(`${toJson(shown)}\n`);
  else if (format === 'json5') io.stdout.write(`${await toJson5(shown)}\n`);
  else {
    const { lines, skipped } = toEnvLines(shown, prefix);
    for (const path of skipped) {
      io.stderr.write(`strataconf: warning: ${path} has a key no variable name can carry; left out\n`);
    }
    io.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  }
  return 0;
}
