import { awsJson11 } from '../../aws/index.js';
import { type GetSecretValueOutput, SECRET_ANSWER_BYTES, type SecretsApi } from './wire.js';

/**
 * GetSecretValue signed by strataconf itself with the credentials in the environment (src/aws), so a
 * Lambda cold start loads no AWS SDK module.
 */
export function lightSecrets(region: string | undefined): SecretsApi {
  return {
    getSecretValue: async (input, signal) =>
      (await awsJson11('secretsmanager', 'secretsmanager.GetSecretValue', input, {
        ...(region === undefined ? {} : { region }),
        signal,
        maxBytes: SECRET_ANSWER_BYTES,
      })) as GetSecretValueOutput,
  };
}
