/**
 * The public shapes of `startLocalAws` (exported from `strataconf/testing` as types only, so
 * importing them loads none of the server).
 */

/** The stores the local server stands in for, as `fail()` and the request log name them. */
export type LocalAwsService = 's3' | 'ssm' | 'secrets' | 'appconfig';

/** An S3 object: its bytes, or its bytes and the `Content-Type` S3 answers with. */
export type LocalS3Object =
  | string
  | Uint8Array
  | {
      /** The object's bytes (a string is stored as UTF-8). */
      body: string | Uint8Array;
      /** The `Content-Type` S3 answers with. @default from the key's extension (`.json`, `.yaml`, `.txt`), else `binary/octet-stream` */
      contentType?: string;
    };

/** An SSM parameter: its value (a `String`), or its value and type. */
export type LocalSsmParameter =
  | string
  | {
      /** The value; a `StringList` is one string, items separated by commas. */
      value: string;
      /** @default 'String' */
      type?: 'String' | 'StringList' | 'SecureString';
    };

/** A Secrets Manager secret: a `SecretString` (an object is stored as its JSON), or bytes (`SecretBinary`). */
export type LocalSecret = string | object | Uint8Array;

/** An AppConfig configuration profile's hosted content. */
export interface LocalAppConfigProfile {
  /** The configuration; an object is served as its JSON. */
  content: string | object;
  /** @default 'application/json' */
  contentType?: string;
  /** The `Version-Label` AppConfig answers with. @default the version number: '1', '2', ... */
  versionLabel?: string;
}

/**
 * What the stores hold: at start (`startLocalAws(seed)`) and on every `put(values)`, which adds or
 * replaces entries.
 */
export interface LocalAwsSeed {
  /**
   * Objects by `"bucket/key"`. A bucket exists once an object of it was seeded (removing its objects
   * keeps it); `"bucket/"` alone creates an empty bucket.
   */
  s3?: Record<string, LocalS3Object>;
  /** Parameters by name (`"/orders/prod/db/host"`). */
  ssm?: Record<string, LocalSsmParameter>;
  /** Secrets by name. A new value makes a new version `AWSCURRENT` and the former one `AWSPREVIOUS`. */
  secrets?: Record<string, LocalSecret>;
  /** Configuration profiles by `"application/environment/profile"`. */
  appconfig?: Record<string, LocalAppConfigProfile>;
}

/** Credentials the server accepts (a request signed with any other secret is refused as AWS refuses it). */
export interface LocalAwsCredentials {
  /** `AWS_ACCESS_KEY_ID`: a request signed with another is refused (`InvalidAccessKeyId`, `UnrecognizedClientException`). */
  accessKeyId: string;
  /** `AWS_SECRET_ACCESS_KEY`: a request signed with another is refused (`SignatureDoesNotMatch`, `InvalidSignatureException`). */
  secretAccessKey: string;
  /** When set, every request must carry it (`x-amz-security-token`), as temporary credentials do. */
  sessionToken?: string;
}

/** Options of `startLocalAws`. */
export interface LocalAwsOptions {
  /** The port to listen on, on 127.0.0.1. @default 0 (a free port) */
  port?: number;
  /** `AWS_REGION` in `env`. Requests signed for any region are served: the stores are the same in every region. @default 'us-east-1' */
  region?: string;
  /**
   * The credentials in `env`, the only ones accepted.
   * @default `{ accessKeyId: 'AKIDLOCALAWS', secretAccessKey: 'local-aws-secret-access-key', sessionToken: 'local-aws-session-token' }`
   */
  credentials?: LocalAwsCredentials;
  /**
   * Serve the AppConfig Lambda extension's local API too, and name its port in `env`
   * (`AWS_APPCONFIG_EXTENSION_HTTP_PORT`): AppConfig layers then read it, as on Lambda with the
   * extension. When false, `env` names a port nothing listens on, so they read the AppConfigData API.
   * @default true
   */
  appConfigExtension?: boolean;
  /**
   * `Next-Poll-Interval-In-Seconds` of AppConfigData answers (a session's
   * `RequiredMinimumPollIntervalInSeconds` raises it). AppConfig itself says 60; 0 lets a reload see
   * a change at once.
   * @default 0
   */
  appConfigPollIntervalSeconds?: number;
}

/**
 * A fault answered instead of the next requests to a service: an AWS error (by its code, with the
 * status and message that service answers it with), a reset connection, or a slow answer.
 */
export interface LocalAwsFault {
  /**
   * An AWS error code (`ThrottlingException`, `AccessDenied`, `SlowDown`, `InternalServerError`,
   * ...); `ECONNRESET` drops the connection without an answer; `Slow` answers normally, `delayMs` late.
   */
  code: string;
  /** The HTTP status. @default the one the service answers the code with (S3 `AccessDenied` 403, SSM `ThrottlingException` 400, ...) */
  status?: number;
  /** The error's message. @default the service's wording for the code */
  message?: string;
  /** How many requests get it (`Infinity`: until `clearFaults`). @default 1 */
  times?: number;
  /** Wait this long before answering (or resetting). @default 0; 5000 for `Slow` */
  delayMs?: number;
  /**
   * Only requests of this operation get it (`GetObject`, `HeadObject`, `GetParametersByPath`,
   * `GetSecretValue`, `StartConfigurationSession`, `GetLatestConfiguration`, or `Extension` for the
   * AppConfig extension's API). @default every operation of the service
   */
  operation?: string;
}

/** One request the server answered, in the request log. */
export interface LocalAwsRequest {
  /** The store it went to. */
  service: LocalAwsService;
  /** The operation, by the AWS SDK's name (`GetObject`, `GetParametersByPath`, ...); `Extension` for the AppConfig extension. */
  operation: string;
  /** What the request asked, by the SDK's input field names (`{ Bucket, Key, IfNoneMatch }`, `{ Path, Recursive, ... }`). */
  input: Record<string, unknown>;
  /** What it asked for, in one string: `bucket/key`, the path or parameter name, the secret id, `app/env/profile`. */
  resource: string;
  /** The HTTP status answered; 0 when the connection was dropped without an answer. */
  status: number;
  /** The error code answered, when it was an error. */
  error?: string;
  /** The region of the request's signature (its credential scope), when it was signed. */
  region?: string;
}

/**
 * A running local server for S3, SSM Parameter Store, Secrets Manager and AppConfig: `env` points
 * AWS SDK v3 clients and strataconf's own requests at it.
 */
export interface LocalAws {
  /**
   * The environment that points everything at the server: `AWS_ENDPOINT_URL_S3`, `_SSM`,
   * `_SECRETS_MANAGER`, `_APPCONFIGDATA`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and `AWS_APPCONFIG_EXTENSION_HTTP_PORT`.
   */
  readonly env: Record<string, string>;
  /** `http://127.0.0.1:PORT`, the endpoint of every store. */
  readonly endpoint: string;
  /** Adds or replaces values while it runs (a changed value is a new version, a new ETag). */
  put(values: LocalAwsSeed): void;
  /** Removes one object (`"bucket/key"`), parameter, secret or configuration profile. */
  remove(service: LocalAwsService, name: string): void;
  /** Answers the next requests to `service` with `fault` (queued after the faults already waiting). */
  fail(service: LocalAwsService, fault: LocalAwsFault): void;
  /** Forgets the faults not used yet, of one service or of all. */
  clearFaults(service?: LocalAwsService): void;
  /** Every request answered so far, oldest first (clear it with `requests.length = 0`). */
  readonly requests: LocalAwsRequest[];
  /** Stops the server: open connections are closed, pending slow answers dropped. */
  close(): Promise<void>;
  /** `close()`, for `await using aws = await startLocalAws(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}
