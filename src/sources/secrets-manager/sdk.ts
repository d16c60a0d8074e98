import { type AwsClientLike, clientsByRegion, lazySdk } from '../remote/sdk.js';

/**
 * How a secret layer talks to Secrets Manager: GetSecretValue through the caller's
 * `SecretsManagerClient`, a shared one of `@aws-sdk/client-secrets-manager` (imported only then), or
 * strataconf's light transport.
 */

/**
 * The part of an `SecretsManagerClient` strataconf uses: a real client fits, and so does one mocked with
 * aws-sdk-client-mock; declared here so the package's types do not require the optional SDK.
 */
export interface SecretsManagerClientLike extends AwsClientLike {
  /** Sends a command; strataconf passes an `abortSignal`. */
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

export interface GetSecretValueInput {
  SecretId: string;
  VersionStage?: string;
}

/** The fields of a GetSecretValue answer strataconf reads. */
export interface GetSecretValueOutput {
  Name?: string;
  VersionId?: string;
  SecretString?: string;
  SecretBinary?: unknown;
}

export type SendGetSecretValue = (
  input: GetSecretValueInput,
  signal: AbortSignal,
) => Promise<GetSecretValueOutput>;

/** Attempts per request for the clients strataconf creates (the SDK's default; `timeoutMs` bounds them). */
export const MAX_ATTEMPTS = 3;

const loadSdk = lazySdk('@aws-sdk/client-secrets-manager', () => import('@aws-sdk/client-secrets-manager'));
const shared = clientsByRegion<SecretsManagerClientLike>(async (region) => {
  const { SecretsManagerClient } = await loadSdk();
  return new SecretsManagerClient({ ...(region === undefined ? {} : { region }), maxAttempts: MAX_ATTEMPTS });
});

/** Forgets the shared clients (tests that change the SDK's environment between cases). */
export const resetSecretsClients = shared.reset;

/** The SDK path: `client`, else the shared client of `region`. */
export async function sdkSecretSender(
  client: SecretsManagerClientLike | undefined,
  region: string | undefined,
): Promise<SendGetSecretValue> {
  const { GetSecretValueCommand } = await loadSdk();
  const sm = client ?? (await shared.get(region));
  return async (input, signal) =>
    (await sm.send(new GetSecretValueCommand(input), { abortSignal: signal })) as GetSecretValueOutput;
}
