import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LoadOptions } from '../../types.js';
import { type CommandArgs, usageError } from '../args.js';
import { toJson } from '../formats.js';
import { type CliIo, paintFor } from '../io.js';
import { importDefinition } from '../loader.js';
import { zodToJsonSchema } from '../schema/from-zod.js';
import { layerSchema } from '../schema/layer.js';

/** The definition of `--loader`, which must carry a schema: the schema commands have nothing to read otherwise. */
export async function definitionWithSchema(
  args: CommandArgs,
  io: CliIo,
  command: 'schema' | 'env' | 'check',
): Promise<LoadOptions & { schema: NonNullable<LoadOptions['schema']> }> {
  const loader = args.stack.loader;
  if (loader === undefined) {
    throw usageError(`${command} needs --loader MODULE: the definition whose schema it reads`, command);
  }
  const options = await importDefinition(loader, io.cwd);
  if (options.schema === undefined) {
    throw usageError(`--loader ${loader}: the definition has no schema`, command);
  }
  return options as LoadOptions & { schema: NonNullable<LoadOptions['schema']> };
}

/** The layer-file JSON Schema of the `--loader` definition; unchecked paths are reported on `io.stderr`. */
export async function layerJsonSchema(args: CommandArgs, io: CliIo): Promise<Record<string, unknown>> {
  const { schema } = await definitionWithSchema(args, io, 'schema');
  const converted = await zodToJsonSchema(schema, args.stack.loader, io.cwd);
  const paint = paintFor(io.stderr, io.env);
  for (const { path, reason } of converted.unchecked) {
    io.stderr.write(
      `strataconf: ${paint.yellow('warning')}: ${path} is not checked by the JSON Schema (${reason})\n`,
    );
  }
  return layerSchema(converted.schema);
}

/** `strataconf schema`: the JSON Schema of a layer file, on stdout or into `--out FILE`. */
export async function schema(args: CommandArgs, io: CliIo): Promise<number> {
  if (args.positionals.length > 0) {
    throw usageError(`schema takes no positional arguments (got "${args.positionals[0]}")`, 'schema');
  }
  if (args.stack.specs.length > 0)
    throw usageError('schema reads the schema of --loader only; it takes no sources', 'schema');
  const text = `${toJson(await layerJsonSchema(args, io))}\n`;
  const out = args.strings.out;
  if (out === undefined) {
    io.stdout.write(text);
    return 0;
  }
  if (out === '') throw usageError('--out needs a file name', 'schema');
  await writeFile(resolve(io.cwd, out), text);
  io.stderr.write(`strataconf: wrote ${out}\n`);
  return 0;
}
