import type { AwsClientLike } from '../remote/sdk.js';

/**
 * GetParametersByPath as an SSM layer sends it and reads its answer, by the SDK's field names: what
 * the SDK path (sdk.ts) and the light path (light.ts) both speak, so each imports only this.
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

/** Parameter Store as a layer calls it, over either path: one page per call. */
export interface SsmApi {
  getParametersByPath(
    input: GetParametersByPathInput,
    signal: AbortSignal,
  ): Promise<GetParametersByPathOutput>;
}

/**
 * The largest GetParametersByPath answer read into memory: a page holds at most 10 parameters of at
 * most 8 KiB each (advanced tier), under 100 KiB even with JSON escaping of every value's quotes;
 * 1 MiB leaves room for escaped control characters and the parameters' metadata.
 */
export const SSM_PAGE_BYTES = 1024 * 1024;
