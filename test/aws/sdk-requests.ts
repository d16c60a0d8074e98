/**
 * What the AWS SDK v3 would send, without sending it: a client whose request handler records the
 * request (host, path, query) and stops there. The light transport's requests are compared with it.
 */
import { AppConfigDataClient, StartConfigurationSessionCommand } from '@aws-sdk/client-appconfigdata';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsService } from '../../src/aws/index.js';

export interface SdkRequest {
  hostname: string;
  path: string;
  query: Record<string, string | string[] | null>;
}

class Stop extends Error {}

export interface SdkOptions {
  region: string;
  useFipsEndpoint?: boolean;
  useDualstackEndpoint?: boolean;
}

function client(service: AwsService, opts: SdkOptions, requestHandler: object) {
  const config = {
    ...opts,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler,
  };
  if (service === 'ssm') return new SSMClient(config);
  if (service === 'secretsmanager') return new SecretsManagerClient(config);
  if (service === 'appconfigdata') return new AppConfigDataClient(config);
  return new S3Client(config);
}

function command(service: AwsService, s3: { bucket: string; key: string; versionId?: string }) {
  if (service === 'ssm') return new GetParametersByPathCommand({ Path: '/a' });
  if (service === 'secretsmanager') return new GetSecretValueCommand({ SecretId: 'x' });
  if (service === 'appconfigdata') {
    return new StartConfigurationSessionCommand({
      ApplicationIdentifier: 'a',
      EnvironmentIdentifier: 'b',
      ConfigurationProfileIdentifier: 'c',
    });
  }
  return new GetObjectCommand({ Bucket: s3.bucket, Key: s3.key, VersionId: s3.versionId });
}

/** The request the SDK's client of `service` forms, or the error its endpoint rules throw. */
export async function sdkRequest(
  service: AwsService,
  opts: SdkOptions,
  s3: { bucket: string; key: string; versionId?: string } = { bucket: 'my-bucket', key: 'k' },
): Promise<SdkRequest | Error> {
  let seen: SdkRequest | undefined;
  const handler = {
    handle: async (req: SdkRequest) => {
      seen = { hostname: req.hostname, path: req.path, query: req.query };
      throw new Stop();
    },
  };
  try {
    const sdk = client(service, opts, handler) as { send(command: object): Promise<unknown> };
    await sdk.send(command(service, s3));
  } catch (err) {
    if (!(err instanceof Stop)) return err as Error;
  }
  if (seen === undefined) throw new Error('the SDK sent nothing');
  return seen;
}
