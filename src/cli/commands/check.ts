import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isConfigError } from '../../errors.js';
import { formatOfPath, parseLayerText } from '../../formats/index.js';
import { type CommandArgs, usageError } from '../args.js';
import { type CliIo, paintFor } from '../io.js';
import { checkValue } from '../schema/check-layer.js';
import { positionOf, scanPositions } from '../schema/positions.js';
import { yamlPositions } from '../schema/yaml-positions.js';
import { definitionWithSchema } from './schema.js';

/** `FILE:LINE:COLUMN: message` lines for one layer file; none when it passes. */
async function checkFile(file: string, schema: unknown, io: CliIo): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    return [`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`];
  }
  const format = formatOfPath(file) ?? 'json5';
  let layer: object;
  try {
    layer = await parseLayerText(text, format, file);
  } catch (err) {
    if (!isConfigError(err)) throw err;
    const { line, column } = err.details as { line?: number; column?: number };
    return [`${file}:${line ?? 1}:${column ?? 1}: ${err.message.replace(`${file}: `, '')}`];
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const positions = format === 'yaml' ? await yamlPositions(body, file) : scanPositions(body);
  const problems = await checkValue(layer, schema);
  return problems.map((p) => {
    const { line, column } = positionOf(positions, p.path, p.atKey);
    const message = p.atKey ? p.message : `${p.path.join('.') || '(top level)'}: ${p.message}`;
    return `${file}:${line}:${column}: ${message}`;
  });
}

/** `strataconf check FILE...`: each layer file against the schema, alone; exit 1 on any problem. */
export async function check(args: CommandArgs, io: CliIo): Promise<number> {
  if (args.positionals.length === 0) throw usageError('check needs at least one FILE', 'check');
  if (args.stack.specs.length > 0)
    throw usageError('check reads the files it is given; it takes no sources', 'check');
  const { schema } = await definitionWithSchema(args, io, 'check');
  const paint = paintFor(io.stdout, io.env);
  let failed = 0;
  let problems = 0;
  for (const file of args.positionals) {
    const lines = await checkFile(file, schema, io);
    if (lines.length === 0) io.stdout.write(`${paint.green('ok')}: ${file}\n`);
    else {
      failed++;
      problems += lines.length;
      io.stdout.write(`${lines.join('\n')}\n`);
    }
  }
  if (failed === 0) return 0;
  const count = problems === 1 ? '1 problem' : `${problems} problems`;
  io.stderr.write(`strataconf: ${count} in ${failed} of ${args.positionals.length} files\n`);
  return 1;
}
