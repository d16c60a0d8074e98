import type { IncomingMessage } from 'node:http';
import { stateMap } from '../process-state.js';
import { type AwsCredentials, type AwsService, envCredentials, SERVICES, serviceEndpoint } from './env.js';
import { type AwsError, type AwsProtocol, CLOCK_SKEW_CODES, parseErrorResponse } from './errors.js';
import { type HttpRequest, type HttpResponse, httpSend } from './http.js';
import { encodeRfc3986, sign } from './sign.js';

export { encodeRfc3986 };

/**
 * One signed AWS request: signed when it is sent (never at init, so a Lambda environment thawed
 * after minutes never sends an expired signature), one attempt. Whether to send again is the remote
 * policy's decision (src/sources/remote/retry.ts); the transport only hands it the facts: the AWS
 * error code and status, the store's `Retry-After`, and `clockCorrected` when a clock-skew answer
 * taught it the right time (a retry then signs with the corrected clock). A reset on a kept-alive
 * socket the server had closed is sent again at once: that request never reached the store.
 */

/** What to send; the endpoint (host, port, path prefix) comes from the service and the environment. */
export interface AwsRequest {
  service: AwsService;
  /** Parses error answers: S3 is `rest-xml`, SSM and Secrets Manager `json`, AppConfigData `rest-json`. */
  protocol: AwsProtocol;
  method: 'GET' | 'POST' | 'HEAD';
  /** Encoded path (after the endpoint's own path), starting with `/`. */
  path: string;
  /** Query parameters (encoded here); `undefined` values are left out. */
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: string;
  /**
   * S3 only: the bucket, addressed virtual-hosted (`BUCKET.s3.REGION.amazonaws.com/KEY`), or path
   * style (`/BUCKET/KEY` on the endpoint) for a custom endpoint and for names that cannot be a TLS
   * host label (dots, capitals, underscores).
   */
  bucket?: string;
}

/** How to send it. */
export interface SendOptions {
  /** `region` option of the source; else `AWS_REGION`, else `AWS_DEFAULT_REGION`. */
  region?: string;
  /** Stops waiting when it fires; the rejection is its reason. */
  signal: AbortSignal;
  /** Credentials to sign with. @default `envCredentials()` read at each request */
  credentials?: AwsCredentials;
  /** Largest 2xx body read into memory; a larger one fails with `ETOOLARGE`. @default 1 MiB */
  maxBytes?: number;
}

/** An answer (2xx, or 304 to a conditional request). */
export type AwsResponse<B = Buffer> = HttpResponse<B>;

/**
 * Milliseconds to add to the local clock, per endpoint, learnt from a clock-skew answer (as the SDK
 * keeps one per client).
 */
const clockOffsets = stateMap<string, number>();

/** A bucket name that is a valid DNS label: lower case, digits and hyphens, no dots (TLS wildcard). */
const VIRTUAL_HOSTABLE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function queryString(query: Record<string, string | undefined> | undefined): string {
  if (query === undefined) return '';
  const pairs = Object.entries(query)
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([key, value]) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

function missingRegion(): Error {
  // The SDK's message, so classifiers that know it say "set AWS_REGION or pass { region }".
  return Object.assign(new Error('Region is missing'), { name: 'RegionMissing' });
}

function missingCredentials(): Error {
  return Object.assign(new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set'), {
    name: 'CredentialsProviderError',
  });
}

/** Where one request goes, and the key its learnt clock offset is kept under. */
function target(req: AwsRequest, region: string) {
  const endpoint = serviceEndpoint(req.service, region);
  const { bucket } = req;
  const virtual = bucket !== undefined && !endpoint.custom && VIRTUAL_HOSTABLE.test(bucket);
  const hostname = virtual ? `${bucket}.${endpoint.hostname}` : endpoint.hostname;
  const clockKey = `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port ?? ''}`;
  return { endpoint, hostname, virtual, clockKey };
}

/** The request as sent: endpoint resolved and signature made now. */
function prepare(req: AwsRequest, credentials: AwsCredentials, region: string): Promise<HttpRequest> {
  const { endpoint, hostname, virtual, clockKey } = target(req, region);
  const { bucket } = req;
  const bucketPath = bucket === undefined || virtual ? '' : `/${encodeRfc3986(bucket)}`;
  return sign(
    {
      protocol: endpoint.protocol,
      hostname,
      port: endpoint.port,
      method: req.method,
      path: `${endpoint.basePath}${bucketPath}${req.path}${queryString(req.query)}`,
      headers: { ...req.headers },
      body: req.body,
    },
    {
      service: SERVICES[req.service].signingName,
      region,
      credentials,
      now: Date.now() + (clockOffsets.get(clockKey) ?? 0),
    },
  );
}

/**
 * Learns the endpoint's clock offset from a clock-skew answer's `Date` header; true when the offset
 * changed (a request signed again would carry another time).
 */
function correctClock(err: AwsError, date: string | undefined, clockKey: string): boolean {
  if (!CLOCK_SKEW_CODES.has(err.name) || date === undefined) return false;
  const serverTime = Date.parse(date);
  if (Number.isNaN(serverTime)) return false;
  const offset = serverTime - Date.now();
  // Within a minute of the offset in use, a retry would be signed with the same time: not skew.
  if (Math.abs(offset - (clockOffsets.get(clockKey) ?? 0)) < 60_000) return false;
  clockOffsets.set(clockKey, offset);
  return true;
}

/** One HTTP exchange; a reset on a stale kept-alive socket is sent again at once, once. */
async function exchange(
  req: AwsRequest,
  opts: SendOptions & { stream?: boolean },
  credentials: AwsCredentials,
  region: string,
) {
  const http = { signal: opts.signal, stream: opts.stream === true, maxBytes: opts.maxBytes };
  try {
    return await httpSend(await prepare(req, credentials, region), http);
  } catch (err) {
    if (!(err as { staleSocket?: boolean })?.staleSocket || opts.signal.aborted) throw err;
    return await httpSend(await prepare(req, credentials, region), http);
  }
}

/** S3's and the JSON services' `Retry-After` (seconds). */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const seconds = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** Sends `req` once; resolves with a 2xx or 304 answer, else rejects with an SDK-shaped error. */
export async function send(
  req: AwsRequest,
  opts: SendOptions & { stream: true },
): Promise<AwsResponse<Buffer | IncomingMessage>>;
export async function send(req: AwsRequest, opts: SendOptions & { stream?: false }): Promise<AwsResponse>;
export async function send(
  req: AwsRequest,
  opts: SendOptions & { stream?: boolean },
): Promise<AwsResponse<Buffer | IncomingMessage>> {
  const region = opts.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (!region) throw missingRegion();
  const credentials = opts.credentials ?? envCredentials();
  if (credentials === undefined) throw missingCredentials();
  const response = await exchange(req, opts, credentials, region);
  const { statusCode, headers } = response;
  if ((statusCode >= 200 && statusCode < 300) || statusCode === 304) return response;
  // The credentials themselves are searched for too: an answer may quote them anywhere.
  const secrets = [credentials.secretAccessKey, credentials.sessionToken];
  const error = parseErrorResponse(req.protocol, statusCode, headers, String(response.body), secrets);
  const date = Array.isArray(headers.date) ? headers.date[0] : headers.date;
  if (correctClock(error, date, target(req, region).clockKey)) error.clockCorrected = true;
  const wait = retryAfterMs(headers['retry-after']);
  if (wait !== undefined) error.retryAfterMs = wait;
  throw error;
}

/** Forgets the learnt clock offsets (`resetConfigCache()` does too). */
export function resetClockOffset(): void {
  clockOffsets.clear();
}
