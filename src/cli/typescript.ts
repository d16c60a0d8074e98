import module from 'node:module';
import { extname } from 'node:path';

/**
 * `--loader` modules written in TypeScript. On a Node that strips types (22.18+, 23.6+), a `.ts`
 * module imports as it is, except that Node resolves `./schema.js` literally, while TypeScript
 * (`module: NodeNext`) has the source import `./schema.js` for `./schema.ts`. The CLI bridges that
 * for the modules a loader imports, so a loader written for tsc runs as it is.
 */

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);
/** tsc's NodeNext mapping from the specifier a source imports to the file it means. */
const JS_TO_TS: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

export function isTypeScript(path: string): boolean {
  return TS_EXTENSIONS.has(extname(path));
}

/** True on a Node that imports `.ts` files by itself (`process.features.typescript` is then set). */
function stripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

interface ResolveContext {
  parentURL?: string | undefined;
}
type NextResolve = (specifier: string, context: ResolveContext) => unknown;
type RegisterHooks = (hooks: {
  resolve: (specifier: string, context: ResolveContext, next: NextResolve) => unknown;
}) => unknown;

/** For a relative `./x.js` imported by a TypeScript file outside node_modules: `./x.ts`, else undefined. */
export function typeScriptSibling(specifier: string, parentURL: string | undefined): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  if (!parentURL?.startsWith('file:') || parentURL.includes('/node_modules/')) return undefined;
  if (!isTypeScript(new URL(parentURL).pathname)) return undefined;
  const ts = JS_TO_TS[extname(specifier)];
  return ts === undefined ? undefined : specifier.slice(0, -extname(specifier).length) + ts;
}

let hooked = false;

/**
 * Before a `.ts` loader is imported on a Node that strips types: a `./x.js` import from a `.ts`
 * file that finds no `x.js` resolves to `x.ts` (or `.mjs` to `.mts`, `.cjs` to `.cts`), as tsc's
 * NodeNext output would. Only the CLI's own process is affected, and only imports that would fail.
 */
export function resolveTypeScriptSpecifiers(): void {
  const register = (module as { registerHooks?: RegisterHooks }).registerHooks;
  if (hooked || !stripsTypes() || register === undefined) return;
  hooked = true;
  register({
    resolve(specifier, context, next) {
      try {
        return next(specifier, context);
      } catch (err) {
        const sibling = typeScriptSibling(specifier, context.parentURL);
        if ((err as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND' || sibling === undefined) throw err;
        try {
          return next(sibling, context);
        } catch {
          throw err;
        }
      }
    },
  });
}

/** What to say when a `.ts` loader fails to import for a reason of TypeScript's; undefined otherwise. */
export function typeScriptAdvice(loader: string, err: unknown): string | undefined {
  const code = (err as { code?: unknown }).code;
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
    return (
      `--loader ${loader}: this Node (${process.version}) cannot import TypeScript by itself. ` +
      `Run with a TypeScript loader, e.g. NODE_OPTIONS='--import tsx' strataconf ... ` +
      `(tsx installed in the project), on a Node that strips types by default (22.18+, 23.6+), ` +
      `or compile the module to .js/.mjs`
    );
  }
  if (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' || code === 'ERR_INVALID_TYPESCRIPT_SYNTAX') {
    const reason = (err as Error).message.split('\n')[0];
    return (
      `--loader ${loader}: Node ${process.version} strips types but runs no TypeScript-only syntax ` +
      `(${reason}). Write it without enums, namespaces and parameter properties ` +
      `(tsconfig "erasableSyntaxOnly": true), run with NODE_OPTIONS='--import tsx', or compile the module to .js/.mjs`
    );
  }
  return undefined;
}
