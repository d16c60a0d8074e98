import { boundAnswers } from '../remote/bounded.js';
import { lazySdk, sdkSend, sharedClients } from '../remote/sdk.js';
import type { GetObjectOutput, S3Api, S3ClientLike } from './wire.js';

/**
 * GetObject over the AWS SDK (`@aws-sdk/client-s3`, an optional peer dependency imported only when
 * this path is taken: a caller's `client`, or credentials that are not in the environment).
 */

type S3Sdk = typeof import('@aws-sdk/client-s3');

// The S3 message keeps its words: S3 has always offered only the install here.
const loadSdk = lazySdk<S3Sdk>('@aws-sdk/client-s3', '');
const shared = sharedClients<S3ClientLike>('s3', async (region) => {
  const { S3Client } = await loadSdk();
  const client = new S3Client({
    ...(region === undefined ? {} : { region }),
    // One attempt per call: the remote policy retries (src/sources/remote/retry.ts).
    maxAttempts: 1,
    // A bucket in another region answers 301; following it beats failing the layer.
    followRegionRedirects: true,
  });
  // Error bodies only: the object's own stream is bounded by the layer's maxBytes as it is read.
  boundAnswers(client, Number.POSITIVE_INFINITY);
  return client;
});

/** Forgets the shared clients (`resetConfigCache()` does too). */
export const resetSharedClients = shared.reset;

/** S3 over the SDK: `client`, else the shared client of `region`. */
export async function sdkS3(client: S3ClientLike | undefined, region: string | undefined): Promise<S3Api> {
  const { GetObjectCommand } = await loadSdk();
  const s3 = client ?? (await shared.get(region));
  return {
    getObject: async (input, signal) =>
      (await sdkSend(s3, new GetObjectCommand(input), { abortSignal: signal })) as GetObjectOutput,
  };
}
