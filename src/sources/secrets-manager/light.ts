import { awsJson11 } from '../../aws/index.js';
import type { GetSecretValueOutput, SendGetSecretValue } from './sdk.js';

/**
 * The light path: GetSecretValue signed by strataconf itself with the credentials in the environment
 * (src/aws), so a Lambda cold start loads no AWS SDK module. Retries throttling, 5xx and reset
 * connections with jitter, as the SDK would.
 */
export async function lightSecretSender(region: string | undefined): Promise<SendGetSecretValue> {
  return async (input, signal) =>
    (await awsJson11('secretsmanager', 'secretsmanager.GetSecretValue', input, {
      ...(region === undefined ? {} : { region }),
      signal,
    })) as GetSecretValueOutput;
}
