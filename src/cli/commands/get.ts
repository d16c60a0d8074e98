import { getIn } from '../../get-in.js';
import { type CommandArgs, usageError } from '../args.js';
import { toJson } from '../formats.js';
import type { CliIo } from '../io.js';
import { loadStack, resolveStack } from '../stack.js';

/** `db.host`, `servers.0.port`, `servers[0].port` -> keys. */
export function parsePath(path: string): string[] {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (path === '' || keys.some((k) => k === '')) {
    throw usageError(`"${path}" is not a dotted path (like db.host or servers[0].port)`, 'get');
  }
  return keys;
}

/** `strataconf get PATH`: one value, a string raw and anything else as JSON. */
export async function get(args: CommandArgs, io: CliIo): Promise<number> {
  if (args.positionals.length !== 1) {
    throw usageError(
      args.positionals.length === 0 ? 'get needs a PATH' : 'get takes one PATH (quote paths with spaces)',
      'get',
    );
  }
  const keys = parsePath(args.positionals[0] as string);
  const options = await resolveStack(args.stack, io);
  const { config, redactor } = await loadStack(options, io, args.flags.has('show-secrets'));
  const value = redactor.redact(getIn(config, ...keys), keys);
  io.stdout.write(`${typeof value === 'string' ? value : toJson(value)}\n`);
  return 0;
}
