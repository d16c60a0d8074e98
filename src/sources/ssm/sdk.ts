import { type AwsClientLike, clientsByRegion, lazySdk } from '../remote/sdk.js';

/**
 * How an SSM layer talks to Parameter Store: GetParametersByPath through the caller's `SSMClient`, a
 * shared one of `@aws-sdk/client-ssm` (imported only then), or strataconf's light transport.
 */

/**
 * The part of an `SSMClient` strataconf uses: a real client fits, and so does one mocked with
 * aws-sdk-client-mock; declared here so the package's types do not require the optional SDK.
 */
export interface SsmClientLike extends AwsClientLike {
  /** Sends a command; strataconf passes an `abortSignal`. */
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** The GetParametersByPath request strataconf sends. */
export interface GetParametersByPathInput {
  Path: string;
  Recursive: boolean;
  WithDecryption: boolean;
  MaxResults: number;
  NextToken?: string;
}

/** The fields of a parameter strataconf reads. */
export interface SsmParameter {
  Name?: string;
  Type?: string;
  Value?: string;
  Version?: number;
}

export interface GetParametersByPathOutput {
  Parameters?: SsmParameter[];
  NextToken?: string;
}

/** One page of GetParametersByPath. */
export type SendGetParametersByPath = (
  input: GetParametersByPathInput,
  signal: AbortSignal,
) => Promise<GetParametersByPathOutput>;

/**
 * Attempts per request for the clients strataconf creates: SSM's Get* calls share 40 requests per
 * second per account and region, which a fleet's cold start can pass; the SDK's retries back off
 * with jitter, and `timeoutMs` bounds them.
 */
export const MAX_ATTEMPTS = 3;

const loadSdk = lazySdk('@aws-sdk/client-ssm', () => import('@aws-sdk/client-ssm'));
const shared = clientsByRegion<SsmClientLike>(async (region) => {
  const { SSMClient } = await loadSdk();
  return new SSMClient({ ...(region === undefined ? {} : { region }), maxAttempts: MAX_ATTEMPTS });
});

/** Forgets the shared clients (tests that change the SDK's environment between cases). */
export const resetSsmClients = shared.reset;

/** The SDK path: `client`, else the shared client of `region`. */
export async function sdkSsmSender(
  client: SsmClientLike | undefined,
  region: string | undefined,
): Promise<SendGetParametersByPath> {
  const { GetParametersByPathCommand } = await loadSdk();
  const ssm = client ?? (await shared.get(region));
  return async (input, signal) =>
    (await ssm.send(new GetParametersByPathCommand(input), {
      abortSignal: signal,
    })) as GetParametersByPathOutput;
}
