import { boundAnswers } from '../remote/bounded.js';
import { lazySdk, sdkSend, sharedClients } from '../remote/sdk.js';
import {
  type GetSecretValueOutput,
  SECRET_ANSWER_BYTES,
  type SecretsApi,
  type SecretsManagerClientLike,
} from './wire.js';

/**
 * GetSecretValue over the AWS SDK (`@aws-sdk/client-secrets-manager`, an optional peer dependency
 * imported only when this path is taken: a caller's `client`, or credentials that are not in the
 * environment).
 */

const loadSdk = lazySdk<typeof import('@aws-sdk/client-secrets-manager')>('@aws-sdk/client-secrets-manager');
const shared = sharedClients<SecretsManagerClientLike>('secretsmanager', async (region) => {
  const { SecretsManagerClient } = await loadSdk();
  // One attempt per call: the remote policy retries (src/sources/remote/retry.ts).
  const client = new SecretsManagerClient({ ...(region === undefined ? {} : { region }), maxAttempts: 1 });
  boundAnswers(client, SECRET_ANSWER_BYTES);
  return client;
});

/** Forgets the shared clients (`resetConfigCache()` does too). */
export const resetSecretsClients = shared.reset;

/** Secrets Manager over the SDK: `client`, else the shared client of `region`. */
export async function sdkSecrets(
  client: SecretsManagerClientLike | undefined,
  region: string | undefined,
): Promise<SecretsApi> {
  const { GetSecretValueCommand } = await loadSdk();
  const sm = client ?? (await shared.get(region));
  return {
    getSecretValue: async (input, signal) =>
      (await sdkSend(sm, new GetSecretValueCommand(input), { abortSignal: signal })) as GetSecretValueOutput,
  };
}
