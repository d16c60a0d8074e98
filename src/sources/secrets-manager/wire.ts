import type { AwsClientLike } from '../remote/sdk.js';

/**
 * GetSecretValue as a secret layer sends it and reads its answer, by the SDK's field names: what
 * the SDK path (sdk.ts) and the light path (light.ts) both speak, so each imports only this.
 */

/**
 * The part of a `SecretsManagerClient` strataconf uses: a real client fits, and so does one mocked
 * with aws-sdk-client-mock; declared here so the package's types do not require the optional SDK.
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

/** Secrets Manager as a layer calls it, over either path. */
export interface SecretsApi {
  getSecretValue(input: GetSecretValueInput, signal: AbortSignal): Promise<GetSecretValueOutput>;
}

/**
 * The largest GetSecretValue answer read into memory: a secret is at most 64 KiB, which JSON
 * escaping can make six times larger at worst (`\u0000` for every byte); 1 MiB leaves room.
 */
export const SECRET_ANSWER_BYTES = 1024 * 1024;
