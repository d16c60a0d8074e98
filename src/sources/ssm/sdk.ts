import { boundAnswers } from '../remote/bounded.js';
import { lazySdk, sdkSend, sharedClients } from '../remote/sdk.js';
import { type GetParametersByPathOutput, SSM_PAGE_BYTES, type SsmApi, type SsmClientLike } from './wire.js';

/**
 * GetParametersByPath over the AWS SDK (`@aws-sdk/client-ssm`, an optional peer dependency
 * imported only when this path is taken: a caller's `client`, or credentials that are not in the
 * environment).
 */

const loadSdk = lazySdk<typeof import('@aws-sdk/client-ssm')>('@aws-sdk/client-ssm');
const shared = sharedClients<SsmClientLike>('ssm', async (region) => {
  const { SSMClient } = await loadSdk();
  // One attempt per call: the remote policy retries (src/sources/remote/retry.ts).
  const client = new SSMClient({ ...(region === undefined ? {} : { region }), maxAttempts: 1 });
  boundAnswers(client, SSM_PAGE_BYTES);
  return client;
});

/** Forgets the shared clients (`resetConfigCache()` does too). */
export const resetSsmClients = shared.reset;

/** Parameter Store over the SDK: `client`, else the shared client of `region`. */
export async function sdkSsm(client: SsmClientLike | undefined, region: string | undefined): Promise<SsmApi> {
  const { GetParametersByPathCommand } = await loadSdk();
  const ssm = client ?? (await shared.get(region));
  return {
    getParametersByPath: async (input, signal) =>
      (await sdkSend(ssm, new GetParametersByPathCommand(input), {
        abortSignal: signal,
      })) as GetParametersByPathOutput,
  };
}
