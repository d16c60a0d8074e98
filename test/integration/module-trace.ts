/**
 * Recording every module a child process loads, for the tests that check what a load imports: the
 * child gets `TRACE_HOOKS` in its `HOOKS` variable and a file to write to in `TRACE`, and its script
 * starts with `TRACE_PRELUDE`, which registers the hooks (ESM imports) and defines `loaded()`: the
 * modules loaded so far under node_modules (ESM ones from the hooks, CommonJS ones from
 * require.cache), as `package/path`, sorted. The script needs a `require` in scope.
 */

/** Module hooks that append each resolved URL to the file named by `data.file`. */
export const TRACE_HOOKS = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(file, result.url + '\\n');
  return result;
}`;

/** Registers TRACE_HOOKS and defines `loaded()` (see the top of this file). */
export const TRACE_PRELUDE = `
const { register } = await import('node:module');
register('data:text/javascript,' + encodeURIComponent(process.env.HOOKS), { data: { file: process.env.TRACE } });
const loaded = () => [...new Set([...require('node:fs').readFileSync(process.env.TRACE, 'utf8').split('\\n'), ...Object.keys(require.cache)]
  .filter((m) => m.includes('node_modules'))
  .map((m) => m.replace(/^.*node_modules[\\\\/]/, '').replaceAll('\\\\', '/')))].sort();
`;
