import type { LocalAws } from '../../src/testing.js';

/** The configuration of an AWS SDK v3 client for `aws`, one attempt per call (faults are counted). */
export function clientConfig(aws: LocalAws, region = 'eu-west-1') {
  return {
    endpoint: aws.endpoint,
    region,
    credentials: {
      accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: aws.env.AWS_SESSION_TOKEN ?? '',
    },
    maxAttempts: 1,
  };
}

/** The same, signing with another secret. */
export function wrongSecret(aws: LocalAws) {
  const config = clientConfig(aws);
  return { ...config, credentials: { ...config.credentials, secretAccessKey: 'not-the-secret' } };
}

/** The rejection of `work`, or a failure when it resolved. */
export async function rejection(work: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await work;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
