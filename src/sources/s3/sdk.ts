import { envCredentials } from '../../aws/env.js';
import type { Logger } from '../../types.js';
import { clientsByRegion, lazySdk } from '../remote/sdk.js';
import { lightGetObjectSender } from './light.js';

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

// The S3 message keeps its words: S3 has always offered only the install here.
const loadSdk = lazySdk<S3Sdk>('@aws-sdk/client-s3', () => import('@aws-sdk/client-s3'), '');
const shared = clientsByRegion<S3ClientLike>(async (region) => {
  const { S3Client } = await loadSdk();
  return new S3Client({
    ...(region === undefined ? {} : { region }),
    maxAttempts: MAX_ATTEMPTS,
    // A bucket in another region answers 301; following it beats failing the layer.
    followRegionRedirects: true,
  });
});

/** Forgets the shared clients (tests that change the SDK's environment between cases). */
export const resetSharedClients = shared.reset;

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
  const s3 = client ?? (await shared.get(region));
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
