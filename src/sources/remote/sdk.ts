import { type AwsService, configuredEndpoint } from '../../aws/env.js';
import { stateMap } from '../../process-state.js';
import { reduceError } from './cause.js';
import { RemoteFailure } from './failure.js';

/**
 * An optional AWS SDK client package, imported only when a layer needs it (`import 'strataconf'`
 * never loads it), and one client per region and endpoint, created on first use and reused by every
 * later load: creating a client costs on a Lambda cold start, and a warm invocation should not pay it
 * again. The clients make one attempt per call (`maxAttempts: 1`): retries are the remote policy's
 * (retry.ts), the same for the SDK path as for the light one.
 */

/** The part of an SDK v3 client strataconf uses; a client mocked with aws-sdk-client-mock fits. */
export interface AwsClientLike {
  /** Sends a command; strataconf passes an `abortSignal` (and, to its own clients, a size bound). */
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

function isModuleMissing(err: unknown, pkg: string): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((err as Error).message).includes(pkg)
  );
}

/**
 * `import(pkg)` with the name known only at run time. A bundler cannot follow it, and does not try:
 * `esbuild --bundle` of a handler neither fails on an SDK package that is not installed nor inlines
 * one that is; Node resolves it when, and only when, a layer takes the SDK path (from the
 * node_modules beside the bundle, or the runtime's). The comments keep webpack and Vite from
 * warning about an import they cannot follow.
 */
function importAtRunTime(pkg: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ pkg);
}

/**
 * A lazy import of the SDK package `pkg` (`M`: its module type, `typeof import('@aws-sdk/client-s3')`);
 * a failed import is not remembered, so installing it later (a test) works. `otherwise` is what a
 * missing package's message offers instead of installing it.
 */
export function lazySdk<M>(
  pkg: string,
  otherwise = ' (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
): () => Promise<M> {
  let sdk: Promise<M> | undefined;
  return () => {
    sdk ??= (importAtRunTime(pkg) as Promise<M>).catch((err: unknown) => {
      sdk = undefined;
      const reason = isModuleMissing(err, pkg)
        ? `${pkg} is not installed; add it with \`npm install ${pkg}\`${otherwise}`
        : `${pkg} failed to load (${(err as Error)?.message})`;
      throw new RemoteFailure(reason, { kind: 'invalid' }, err);
    });
    return sdk;
  };
}

/**
 * The clients strataconf creates for `service`: one per region (`undefined`: the SDK's default,
 * `AWS_REGION` on Lambda) and endpoint (`AWS_ENDPOINT_URL_*` when the client is created), forgotten
 * by `resetConfigCache()`.
 */
export function sharedClients<C>(
  service: AwsService,
  create: (region: string | undefined) => Promise<C>,
): { get(region: string | undefined): Promise<C>; reset(): void } {
  const clients = stateMap<string, Promise<C>>();
  return {
    get(region) {
      const key = `${region ?? ''} ${configuredEndpoint(service) ?? ''}`;
      let client = clients.get(key);
      if (client === undefined) {
        client = create(region);
        clients.set(key, client);
        client.catch(() => clients.delete(key));
      }
      return client;
    },
    reset: () => clients.clear(),
  };
}

type Middleware = (
  next: (args: unknown) => Promise<unknown>,
  context: Record<string, unknown>,
) => (args: unknown) => Promise<unknown>;

interface CommandLike {
  middlewareStack?: { add?(middleware: Middleware, options: object): void };
}

/** The credential values the SDK signed a command with (the identity its auth middleware chose). */
function signedWith(context: Record<string, unknown>): string[] {
  const smithy = context.__smithy_context as
    | { selectedHttpAuthScheme?: { identity?: { secretAccessKey?: unknown; sessionToken?: unknown } } }
    | undefined;
  const identity = smithy?.selectedHttpAuthScheme?.identity;
  return [identity?.secretAccessKey, identity?.sessionToken].filter(
    (v): v is string => typeof v === 'string',
  );
}

/**
 * Sends `command` through an SDK client (the caller's or strataconf's) with `options` (the abort
 * signal, a size bound); an error comes back reduced to what may be shown (cause.ts): no raw HTTP
 * exchange, no canonical request, and none of the credential values the command was signed with,
 * which a middleware on the command itself (never on your client) notes for the search.
 */
export async function sdkSend(
  client: AwsClientLike,
  command: object,
  options: { abortSignal: AbortSignal; maxBytes?: number },
): Promise<unknown> {
  let secrets: string[] = [];
  const note: Middleware = (next, context) => async (args) => {
    try {
      return await next(args);
    } finally {
      secrets = signedWith(context);
    }
  };
  (command as CommandLike).middlewareStack?.add?.(note, { step: 'initialize', name: 'strataconfSignedWith' });
  try {
    return await client.send(command, options);
  } catch (err) {
    const env = [process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN];
    throw reduceError(err, [...secrets, ...env]);
  }
}
