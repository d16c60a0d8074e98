import type { AwsService } from './env.js';
import { AwsError } from './errors.js';
import { type AwsResponse, type SendOptions, send } from './send.js';

/**
 * The two JSON protocols the config stores speak, over `send`: AWS JSON 1.1 (SSM, Secrets Manager:
 * `POST /` with `X-Amz-Target`) and REST-JSON (AppConfigData: a method and path per operation).
 */

/**
 * Calls an AWS JSON 1.1 operation and returns its parsed answer. Errors are SDK-shaped `AwsError`s
 * (`name` from `__type` / `x-amzn-errortype`, e.g. `ParameterNotFound`).
 *
 * @example
 * ```ts
 * const page = await awsJson11('ssm', 'AmazonSSM.GetParametersByPath',
 *   { Path: '/orders/prod/', Recursive: true, WithDecryption: true }, { signal });
 * const secret = await awsJson11('secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: 'db' }, { signal });
 * ```
 */
export async function awsJson11(
  service: AwsService,
  target: string,
  input: object,
  opts: SendOptions,
): Promise<Record<string, unknown>> {
  const response = await send(
    {
      service,
      protocol: 'json',
      method: 'POST',
      path: '/',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target },
      body: JSON.stringify(input),
    },
    opts,
  );
  return parseJsonBody(response, target);
}

/** A REST-JSON request: a method, a path (encoded), query and headers, and an optional JSON body. */
export interface RestJsonRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON (`Content-Type: application/json`). */
  body?: object;
}

/**
 * Sends a REST-JSON request and returns the raw answer (status, headers, body bytes): AppConfigData
 * answers `GetLatestConfiguration` with the configuration itself as the body and its tokens in headers.
 *
 * @example
 * ```ts
 * const session = parseJsonBody(await restJson('appconfigdata', { method: 'POST', path: '/configurationsessions',
 *   body: { ApplicationIdentifier: 'app', EnvironmentIdentifier: 'prod', ConfigurationProfileIdentifier: 'main' } }, { signal }));
 * const latest = await restJson('appconfigdata', { method: 'GET', path: '/configuration',
 *   query: { configuration_token: token } }, { signal });
 * latest.headers['next-poll-configuration-token']; latest.body; // empty when unchanged
 * ```
 */
export function restJson(service: AwsService, req: RestJsonRequest, opts: SendOptions): Promise<AwsResponse> {
  const headers = { ...req.headers };
  if (req.body !== undefined) headers['Content-Type'] = 'application/json';
  return send(
    {
      service,
      protocol: 'rest-json',
      method: req.method,
      path: req.path,
      query: req.query,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
    },
    opts,
  );
}

/** A JSON answer's body as an object; anything else is an SDK-shaped `AwsError` named `SerializationException`. */
export function parseJsonBody(response: AwsResponse, operation = 'the operation'): Record<string, unknown> {
  const text = response.body.toString('utf8');
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const error = new AwsError(
      'SerializationException',
      `${operation} answered something other than a JSON object`,
      response.statusCode,
      {},
    );
    throw error;
  }
  return value as Record<string, unknown>;
}
