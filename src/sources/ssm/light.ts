import { awsJson11 } from '../../aws/index.js';
import { type GetParametersByPathOutput, SSM_PAGE_BYTES, type SsmApi } from './wire.js';

/**
 * GetParametersByPath signed by strataconf itself with the credentials in the environment
 * (src/aws), so a Lambda cold start loads no AWS SDK module.
 */
export function lightSsm(region: string | undefined): SsmApi {
  return {
    getParametersByPath: async (input, signal) =>
      (await awsJson11('ssm', 'AmazonSSM.GetParametersByPath', input, {
        ...(region === undefined ? {} : { region }),
        signal,
        maxBytes: SSM_PAGE_BYTES,
      })) as GetParametersByPathOutput,
  };
}
