/**
 * The three ways a remote layer reaches its store, set up against one local endpoint: `light`
 * (credentials in the environment: strataconf's own signed requests), `own-sdk` (credentials in a
 * profile file: the AWS SDK client strataconf creates) and `client` (the caller's SDK client).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { vi } from 'vitest';

export type AwsPath = 'light' | 'own-sdk' | 'client';
export const PATHS: readonly AwsPath[] = ['light', 'own-sdk', 'client'];

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

const ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_SSM',
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  'AWS_ENDPOINT_URL_APPCONFIGDATA',
  'AWS_ENDPOINT_URL_S3',
];

function profileFile(c: Credentials): string {
  const dir = mkdtempSync(join(tmpdir(), 'strataconf-paths-'));
  const file = join(dir, 'credentials');
  writeFileSync(
    file,
    `[default]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\naws_session_token = ${c.sessionToken}\n`,
  );
  return file;
}

/** Stubs the environment for `path` against `endpoint` (every service), with `credentials`. */
export function useAwsPath(path: AwsPath, endpoint: string, credentials: Credentials): void {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  for (const name of ENDPOINT_VARIABLES) vi.stubEnv(name, endpoint);
  const light = path === 'light';
  vi.stubEnv('AWS_ACCESS_KEY_ID', light ? credentials.accessKeyId : '');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', light ? credentials.secretAccessKey : '');
  vi.stubEnv('AWS_SESSION_TOKEN', light ? credentials.sessionToken : '');
  if (path === 'own-sdk') {
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', profileFile(credentials));
    vi.stubEnv('AWS_CONFIG_FILE', join(tmpdir(), 'strataconf-no-aws-config'));
    vi.stubEnv('AWS_PROFILE', 'default');
  }
}

type Store = 'ssm' | 'secrets' | 'appconfig' | 's3';

/** The caller's client of `store` for the `client` path (one attempt: its retries are not under test). */
export function callerClient(store: Store, endpoint: string, credentials: Credentials) {
  const config = { region: 'us-east-1', endpoint, credentials, maxAttempts: 1 };
  if (store === 'ssm') return new SSMClient(config);
  if (store === 'secrets') return new SecretsManagerClient(config);
  if (store === 'appconfig') return new AppConfigDataClient(config);
  return new S3Client({ ...config, forcePathStyle: true });
}
