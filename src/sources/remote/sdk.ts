import { RemoteFailure } from './failure.js';

/**
 * An optional AWS SDK client package, imported only when a layer needs it (`import 'strataconf'`
 * never loads it), and one client per region, created on first use and reused by every later load:
 * creating a client costs on a Lambda cold start, and a warm invocation should not pay it again.
 */

/** The part of an SDK v3 client strataconf uses; a client mocked with aws-sdk-client-mock fits. */
export interface AwsClientLike {
  /** Sends a command; strataconf passes an `abortSignal`. */
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
 * A lazy import of `pkg`; a failed import is not remembered, so installing it later (a test) works.
 * `otherwise` is what a missing package's message offers instead of installing it.
 */
export function lazySdk<M>(
  pkg: string,
  load: () => Promise<M>,
  otherwise = ' (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
): () => Promise<M> {
  let sdk: Promise<M> | undefined;
  return () => {
    sdk ??= load().catch((err: unknown) => {
      sdk = undefined;
      const reason = isModuleMissing(err, pkg)
        ? `${pkg} is not installed; add it with \`npm install ${pkg}\`${otherwise}`
        : `${pkg} failed to load (${(err as Error)?.message})`;
      throw new RemoteFailure(reason, false, err);
    });
    return sdk;
  };
}

/** One client per region (`undefined`: the SDK's default, `AWS_REGION` on Lambda). */
export function clientsByRegion<C>(create: (region: string | undefined) => Promise<C>): {
  get(region: string | undefined): Promise<C>;
  reset(): void;
} {
  const clients = new Map<string, Promise<C>>();
  return {
    get(region) {
      const key = region ?? '';
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
