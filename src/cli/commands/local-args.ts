import { type CommandArgs, usageError } from '../args.js';

/** The arguments of `strataconf local`, and the environment it prints. */

/** The options of `local`, checked. */
export interface LocalArgs {
  dir: string;
  port: number;
  format: 'sh' | 'json';
  background: boolean;
}

/** The variable a background server's parent sets, so the server reports its environment over IPC. */
export const NOTIFY_VARIABLE = 'STRATACONF_LOCAL_NOTIFY';

export function localArgs(args: CommandArgs): LocalArgs {
  if (args.positionals.length > 0)
    throw usageError(`local takes no positional arguments (got "${args.positionals[0]}")`, 'local');
  const { dir, port = '0', format = 'sh' } = args.strings;
  if (dir === undefined || dir === '')
    throw usageError('local needs --dir DIR: the folder to serve', 'local');
  const number = Number(port);
  if (!/^\d+$/.test(port) || number > 65535)
    throw usageError(`--port must be a port number from 0 to 65535, not "${port}"`, 'local');
  if (format !== 'sh' && format !== 'json')
    throw usageError(`--format must be sh or json, not "${format}"`, 'local');
  return { dir, port: number, format, background: args.flags.has('background') };
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** `env` as `export NAME='value'` lines, or as one JSON object. */
export function formatEnv(env: Record<string, string>, format: 'sh' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(env, null, 2)}\n`;
  return Object.entries(env)
    .map(([name, value]) => `export ${name}=${quote(value)}\n`)
    .join('');
}
