import type { Logger } from '../../types.js';

/**
 * GetObject as an S3 layer sends it and reads its answer, by the SDK's field names: what the SDK
 * path (sdk.ts) and the light path (light.ts) both speak, so each imports only this.
 */

/**
 * The part of an `S3Client` that strataconf uses. A real `S3Client` fits, and so does one mocked with
 * aws-sdk-client-mock; declared here so the package's types do not require the optional SDK.
 */
export interface S3ClientLike {
  /** Sends a command; strataconf sends `GetObjectCommand`s with an `abortSignal`. */
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** The GetObject request strataconf sends. */
export interface GetObjectInput {
  Bucket: string;
  Key: string;
  VersionId?: string;
  IfNoneMatch?: string;
}

/** The fields of a GetObject response strataconf reads. */
export interface GetObjectOutput {
  Body?: unknown;
  ETag?: string;
  VersionId?: string;
  ContentLength?: number;
  /** Picks YAML for a key without a `.yaml`/`.yml` extension (`application/yaml`...). */
  ContentType?: string;
}

/** S3 as a layer calls it, over either path: one GetObject per call (a 304 is thrown, as by the SDK). */
export interface S3Api {
  getObject(input: GetObjectInput, signal: AbortSignal, logger?: Logger): Promise<GetObjectOutput>;
}
