import { envCredentials } from '../aws/env.js';
import type { Logger } from '../types.js';
import { S3Failure } from './s3-errors.js';
import { lightGetObjectSender } from './s3-light.js';

/**
 * The AWS SDK, loaded only when an S3 layer loads (`import 'strataconf'` never loads it), and one
 * `S3Client` per region, created on first use and reused by every later load: creating a client
 * costs on a Lambda cold start, and a warm invocation should not pay it again.
 */

/**
 * The part of an `S3Client` that strataconf uses. A real `S3Client` fits, and so does one mocked with
 * aws-sdk-client-mock; declared here so the package's types do not require the optional SDK.
 */
export interface S3ClientLike {
  /** Sends a command; strataconf sends `GetObjectCommand`s with an `abortSignal`. */
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

type S3Sdk = typeof import('@aws-sdk/client-s3');

/**
 * Attempts per GetObject for the clients strataconf creates: one retry rides out a blip (a throttle,
 * a 5xx, a reset connection); more would spend the Lambda's time that `timeoutMs` is there to protect.
 */
export const MAX_ATTEMPTS = 2;

let sdk: Promise<S3Sdk> | undefined;
const clients = new Map<string, Promise<S3ClientLike>>();

function isModuleMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((err as Error).message).includes('@aws-sdk/client-s3')
  );
}

/** The SDK module; a failed import is not remembered, so installing it later (a test) works. */
export function loadSdk(): Promise<S3Sdk> {
  sdk ??= import('@aws-sdk/client-s3').catch((err: unknown) => {
    sdk = undefined;
    if (isModuleMissing(err)) {
      throw new S3Failure(
        '@aws-sdk/client-s3 is not installed; add it with `npm install @aws-sdk/client-s3`',
        false,
        err,
      );
    }
    throw new S3Failure(`@aws-sdk/client-s3 failed to load (${(err as Error)?.message})`, false, err);
  });
  return sdk;
}

/** The shared client of `region` (`undefined`: the SDK's default, `AWS_REGION` on Lambda). */
export function sharedClient(region: string | undefined): Promise<S3ClientLike> {
  const key = region ?? '';
  let client = clients.get(key);
  if (client === undefined) {
    client = loadSdk().then(
      ({ S3Client }) =>
        new S3Client({
          ...(region === undefined ? {} : { region }),
          maxAttempts: MAX_ATTEMPTS,
          // A bucket in another region answers 301; following it beats failing the layer.
          followRegionRedirects: true,
        }),
    );
    clients.set(key, client);
    client.catch(() => clients.delete(key));
  }
  return client;
}

/** Forgets the shared clients (tests that change the SDK's environment between cases). */
export function resetSharedClients(): void {
  clients.clear();
}

/** One GetObject request, its result typed as strataconf reads it. */
export type SendGetObject = (
  input: { Bucket: string; Key: string; VersionId?: string; IfNoneMatch?: string },
  signal: AbortSignal,
  logger?: Logger,
) => Promise<GetObjectOutput>;

/**
 * How GetObject is sent: with `client` when given; else without the SDK when the credentials are in
 * the environment (as on Lambda: the SDK's import is most of a cold start); else with the SDK's
 * shared client of `region`, whose credential chain knows profiles, SSO and instance roles.
 * Decided at each load, so credentials put in the environment later are picked up.
 */
export async function getObjectSender(
  client: S3ClientLike | undefined,
  region: string | undefined,
): Promise<SendGetObject> {
  if (client === undefined && envCredentials() !== undefined) return lightGetObjectSender(region);
  const { GetObjectCommand } = await loadSdk();
  const s3 = client ?? (await sharedClient(region));
  return async (input, signal) =>
    (await s3.send(new GetObjectCommand(input), { abortSignal: signal })) as GetObjectOutput;
}

/** The fields of a GetObject response strataconf reads. */
export interface GetObjectOutput {
  Body?: unknown;
  ETag?: string;
  VersionId?: string;
  ContentLength?: number;
}
