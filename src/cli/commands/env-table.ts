import { shownValue } from '../../secrets.js';
import { type CommandArgs, usageError } from '../args.js';
import { toJson } from '../formats.js';
import { type CliIo, paintFor } from '../io.js';
import { createRedactor, REDACTED } from '../redact.js';
import { type EnvVariable, envMappings, valuesBelow, variablesOf } from '../schema/env-vars.js';
import { definitionWithSchema } from './schema.js';

type Format = 'table' | 'json' | 'markdown';

const HEADERS = ['NAME', 'PATH', 'TYPE', 'REQUIRED', 'DEFAULT', 'SECRET', 'WOULD WARN'];

function cells(v: EnvVariable): string[] {
  const last = v.path.split('.').at(-1) ?? '';
  const shown = !('default' in v) ? '' : v.secret ? REDACTED : toJson(shownValue(last, v.default), 0);
  const secret = v.secret ? 'yes' : 'no';
  return [v.name, v.path, v.type, v.required ? 'yes' : 'no', shown ?? '', secret, v.wouldWarn ?? ''];
}

function table(rows: EnvVariable[]): string {
  const all = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function markdown(rows: EnvVariable[]): string {
  const escapePipes = (text: string) => text.replaceAll('|', '\\|');
  const line = (r: string[]) => `| ${r.map(escapePipes).join(' | ')} |`;
  const body = rows.map((v) => cells(v).map((c, i) => (i < 2 && c !== '' ? `\`${c}\`` : c)));
  return [
    line(HEADERS.map((h) => h[0] + h.slice(1).toLowerCase())),
    line(HEADERS.map(() => '---')),
    ...body.map(line),
  ].join('\n');
}

function checkFormat(args: CommandArgs): Format {
  const format = args.strings.format ?? 'table';
  if (format !== 'table' && format !== 'json' && format !== 'markdown') {
    throw usageError(`--format must be table, json or markdown, not "${format}"`, 'env');
  }
  if (args.positionals.length > 0) {
    throw usageError(`env takes no positional arguments (got "${args.positionals[0]}")`, 'env');
  }
  return format;
}

/** `strataconf env`: the variables the definition's fromEnv sources accept, as a table, JSON or Markdown. */
export async function envTable(args: CommandArgs, io: CliIo): Promise<number> {
  const format = checkFormat(args);
  const options = await definitionWithSchema(args, io, 'env');
  const warn = (text: string) =>
    io.stderr.write(`strataconf: ${paintFor(io.stderr, io.env).yellow('warning')}: ${text}\n`);
  const mappings = envMappings(options.sources);
  if (mappings.length === 0) warn('the definition has no fromEnv source: no variable is read');
  const isSecret = createRedactor([options.schema], []).isSecret;
  const rows: EnvVariable[] = [];
  for (const mapping of mappings) {
    const below = await valuesBelow(options.sources, mapping.index, (name, reason) =>
      warn(`${name}: ${reason}`),
    );
    const unnamed = (path: string) => warn(`${path} has a key no variable name can carry`);
    rows.push(
      ...variablesOf(options.schema, mapping, below, isSecret, unnamed, options.overrides !== 'ignore'),
    );
  }
  if (format === 'json') {
    // The five keys tools rely on; `wouldWarn` only on a row it applies to, so other rows stay as they were.
    const plain = rows.map(({ name, path, type, required, secret, wouldWarn }) => ({
      name,
      path,
      type,
      required,
      secret,
      ...(wouldWarn === undefined ? {} : { wouldWarn }),
    }));
    io.stdout.write(`${toJson(plain)}\n`);
  } else io.stdout.write(`${format === 'table' ? table(rows) : markdown(rows)}\n`);
  return 0;
}
