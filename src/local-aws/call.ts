import type { ReceivedRequest } from './sigv4.js';
import type { LocalAwsService } from './types.js';
import { type Answer, AwsFailure, type WireFormat } from './wire.js';

/** One request, routed to a store and parsed by it, before its signature is checked. */
export interface Call {
  service: LocalAwsService;
  format: WireFormat;
  /** By the SDK's name: `GetObject`, `GetParametersByPath`, ...; `Extension` for the AppConfig extension. */
  operation: string;
  /** What it asks, by the SDK's input field names. */
  input: Record<string, unknown>;
  /** What it asks, in one string for a log line: `bucket/key`, a path, a secret id, `app/env/profile`. */
  resource: string;
  /** The ARN an access-denied message names, in the request's region. */
  arn(region: string): string;
}

/** A store: parses the requests routed to it, and answers them (throwing an `AwsFailure` for an error). */
export interface Store {
  serve(call: Call, region: string, req: ReceivedRequest): Answer;
}

/** A request body as the JSON object it must be; a `SerializationException` otherwise. */
export function jsonInput(body: Buffer, onError: (message: string) => Error): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw onError('the request body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw onError('the request body is not a JSON object');
  return value as Record<string, unknown>;
}

const JSON_11 = 'application/x-amz-json-1.1';

/**
 * The operation and input of an AWS JSON 1.1 request (`POST /`, `X-Amz-Target: Prefix.Operation`,
 * a JSON body); refused as the JSON services refuse a request that is not one.
 */
export function json11Request(req: ReceivedRequest): { operation: string; input: Record<string, unknown> } {
  const bad = (code: string, message: string) => new AwsFailure(400, code, message);
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.slice(target.indexOf('.') + 1);
  if (req.method !== 'POST' || req.url.split('?')[0] !== '/')
    throw bad('UnknownOperationException', `${req.method} ${req.url} is not an operation of this service`);
  if (!String(req.headers['content-type'] ?? '').startsWith(JSON_11))
    throw bad('UnknownOperationException', `the content type must be ${JSON_11}`);
  const input = jsonInput(req.body, (message) => bad('SerializationException', message));
  return { operation, input };
}
