import type { IncomingMessage } from 'node:http';
import { type AwsCredentials, type AwsService, envCredentials, SERVICES, serviceEndpoint } from './env.js';
import {
  type AwsError,
  type AwsProtocol,
  CLOCK_SKEW_CODES,
  isRetryableAnswer,
  parseErrorResponse,
  RETRYABLE_NETWORK_CODES,
} from './errors.js';
import { abortReason, type HttpRequest, type HttpResponse, httpSend } from './http.js';
import { sign } from './sign.js';

/**
 * One signed AWS request with bounded retries: signed again before every attempt (never at init,
 * so a Lambda environment thawed after minutes never sends an expired signature), retried with
 * full jitter on throttling, 5xx and dropped connections, and once with a corrected clock when AWS
 * says the request's time is off.
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
  /** Stops waiting (and retrying) when it fires; the rejection is its reason. */
  signal: AbortSignal;
  /** Attempts in all, the first included. @default 3 */
  maxAttempts?: number;
  /** Credentials to sign with. @default `envCredentials()` read at each attempt */
  credentials?: AwsCredentials;
  /** Largest 2xx body read into memory. @default unlimited */
  maxBytes?: number;
}

/** An answer (2xx, or 304 to a conditional request) and the attempts it took. */
export interface AwsResponse<B = Buffer> extends HttpResponse<B> {
  attempts: number;
}

/** Milliseconds to add to the local clock, learnt from a clock-skew answer (as the SDK keeps one). */
let clockOffsetMs = 0;

const BACKOFF_BASE_MS = 100;

/** A bucket name that is a valid DNS label: lower case, digits and hyphens, no dots (TLS wildcard). */
const VIRTUAL_HOSTABLE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const BACKOFF_CAP_MS = 2000;

/** RFC 3986 encoding of one path segment or query value (also `!'()*`, as SigV4 wants). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

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

/** The request of one attempt: endpoint resolved, credentials read and signature made now. */
function prepare(req: AwsRequest, opts: SendOptions): Promise<HttpRequest> {
  const region = opts.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (!region) throw missingRegion();
  const credentials = opts.credentials ?? envCredentials();
  if (credentials === undefined) throw missingCredentials();
  const endpoint = serviceEndpoint(req.service, region);
  const { bucket } = req;
  const virtual = bucket !== undefined && !endpoint.custom && VIRTUAL_HOSTABLE.test(bucket);
  const bucketPath = bucket === undefined || virtual ? '' : `/${encodeRfc3986(bucket)}`;
  return sign(
    {
      protocol: endpoint.protocol,
      hostname: virtual ? `${bucket}.${endpoint.hostname}` : endpoint.hostname,
      port: endpoint.port,
      method: req.method,
      path: `${endpoint.basePath}${bucketPath}${req.path}${queryString(req.query)}`,
      headers: { ...req.headers },
      body: req.body,
    },
    { service: SERVICES[req.service].signingName, region, credentials, now: Date.now() + clockOffsetMs },
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal.removeEventListener('abort', stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** True when the answer says our clock is off and its `Date` header lets us correct it. */
function correctClock(err: AwsError, date: string | undefined): boolean {
  if (!CLOCK_SKEW_CODES.has(err.name) || date === undefined) return false;
  const serverTime = Date.parse(date);
  if (Number.isNaN(serverTime)) return false;
  const offset = serverTime - Date.now();
  // Within a minute of the offset in use, a retry would be signed with the same time: not skew.
  if (Math.abs(offset - clockOffsetMs) < 60_000) return false;
  clockOffsetMs = offset;
  return true;
}

function withAttempts<E>(err: E, attempts: number, totalRetryDelay: number): E {
  if (typeof err === 'object' && err !== null) {
    const meta = (err as { $metadata?: object }).$metadata;
    Object.assign(err, { $metadata: { ...meta, attempts, totalRetryDelay } });
  }
  return err;
}

/** One attempt's outcome: an answer to return, or an error and whether another attempt may help. */
async function attempt(
  req: AwsRequest,
  opts: SendOptions & { stream?: boolean },
): Promise<{ response: HttpResponse<Buffer | IncomingMessage> } | { error: unknown; retry: boolean }> {
  let response: HttpResponse<Buffer | IncomingMessage>;
  try {
    const signed = await prepare(req, opts);
    response = await httpSend(signed, {
      signal: opts.signal,
      stream: opts.stream === true,
      maxBytes: opts.maxBytes,
    });
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    return { error: err, retry: !opts.signal.aborted && RETRYABLE_NETWORK_CODES.has(code as string) };
  }
  const { statusCode, headers } = response;
  if ((statusCode >= 200 && statusCode < 300) || statusCode === 304) return { response };
  const error = parseErrorResponse(req.protocol, statusCode, headers, String(response.body));
  const date = Array.isArray(headers.date) ? headers.date[0] : headers.date;
  return { error, retry: correctClock(error, date) || isRetryableAnswer(error) };
}

/** Sends `req` (see the top of this file); resolves with a 2xx or 304 answer, else rejects with an SDK-shaped error. */
export async function send(
  req: AwsRequest,
  opts: SendOptions & { stream: true },
): Promise<AwsResponse<Buffer | IncomingMessage>>;
export async function send(req: AwsRequest, opts: SendOptions & { stream?: false }): Promise<AwsResponse>;
export async function send(
  req: AwsRequest,
  opts: SendOptions & { stream?: boolean },
): Promise<AwsResponse<Buffer | IncomingMessage>> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
  let totalRetryDelay = 0;
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt(req, opts);
    if ('response' in outcome) return { ...outcome.response, attempts };
    if (!outcome.retry || attempts >= maxAttempts)
      throw withAttempts(outcome.error, attempts, totalRetryDelay);
    const delay = Math.floor(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempts - 1)));
    totalRetryDelay += delay;
    await sleep(delay, opts.signal);
  }
}

/** Forgets the learnt clock offset (tests). */
export function resetClockOffset(): void {
  clockOffsetMs = 0;
}
