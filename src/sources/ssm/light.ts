import { awsJson11 } from '../../aws/index.js';
import type { GetParametersByPathOutput, SendGetParametersByPath } from './sdk.js';

/**
 * The light path: GetParametersByPath signed by strataconf itself with the credentials in the
 * environment (src/aws), so a Lambda cold start loads no AWS SDK module. Retries throttling, 5xx and
 * reset connections with jitter, as the SDK would.
 */
export async function lightSsmSender(region: string | undefined): Promise<SendGetParametersByPath> {
  return async (input, signal) =>
    (await awsJson11('ssm', 'AmazonSSM.GetParametersByPath', input, {
      ...(region === undefined ? {} : { region }),
      signal,
    })) as GetParametersByPathOutput;
}
