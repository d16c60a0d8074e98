import { raceAbort } from '../../abort.js';
import { ConfigError } from '../../errors.js';
import { type Format, formatOfMediaType, formatOfPath, mediaType } from '../../formats/index.js';
import { RemoteFailure } from '../remote/failure.js';

/**
 * Reading a GetObject body: bounded by `maxBytes` (config is not data: a huge object is a mistake
 * to report, not to buffer) and cut when the deadline fires even if the stream never ends.
 */

export interface BodyLimits {
  /** The source's name, for messages. */
  name: string;
  maxBytes: number;
  signal: AbortSignal;
}

function tooLarge(name: string, maxBytes: number, size?: number): ConfigError {
  const what = size === undefined ? `more than ${maxBytes} bytes` : `${size} bytes`;
  return new ConfigError(
    'PARSE_ERROR',
    `${name}: the object is ${what}, above the limit of ${maxBytes} bytes (maxBytes)`,
    { source: name, maxBytes, ...(size === undefined ? {} : { size }), reason: 'too large' },
  );
}

/** Releases the connection behind a body that will not be read to the end. */
function discard(body: unknown): void {
  const stream = body as { destroy?: (err?: Error) => void; cancel?: () => Promise<void> } | undefined;
  if (typeof stream?.destroy === 'function') stream.destroy();
  else if (typeof stream?.cancel === 'function') stream.cancel().catch(() => {});
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === 'function';
}

function toBytes(chunk: unknown): Uint8Array {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return chunk;
  throw new RemoteFailure('the response body yielded something other than bytes', { kind: 'invalid' });
}

async function collect(body: unknown, name: string, maxBytes: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (body === undefined || body === null) bytes = new Uint8Array();
  else if (typeof body === 'string' || body instanceof Uint8Array) bytes = toBytes(body);
  else if (isAsyncIterable(body)) {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of body) {
      const part = toBytes(chunk);
      total += part.length;
      // Leaving the loop by throwing closes the stream, which frees the connection.
      if (total > maxBytes) throw tooLarge(name, maxBytes);
      chunks.push(part);
    }
    bytes = Buffer.concat(chunks);
  } else if (typeof (body as Blob).arrayBuffer === 'function') {
    bytes = new Uint8Array(await (body as Blob).arrayBuffer());
  } else throw new RemoteFailure('the response has no readable body', { kind: 'invalid' });
  if (bytes.length > maxBytes) throw tooLarge(name, maxBytes, bytes.length);
  return bytes;
}

/** The body's bytes. Throws `PARSE_ERROR` above `maxBytes`, and a transient `RemoteFailure` when the download breaks. */
export async function readBody(
  body: unknown,
  contentLength: number | undefined,
  limits: BodyLimits,
): Promise<Uint8Array> {
  const { name, maxBytes, signal } = limits;
  if (contentLength !== undefined && contentLength > maxBytes) {
    discard(body);
    throw tooLarge(name, maxBytes, contentLength);
  }
  try {
    return await raceAbort(collect(body, name, maxBytes), signal, () => discard(body));
  } catch (err) {
    if (err instanceof ConfigError || err instanceof RemoteFailure || signal.aborted) throw err;
    const code = (err as { code?: unknown })?.code;
    const why = typeof code === 'string' ? code : (err as Error)?.message;
    throw new RemoteFailure(`the download broke off (${why})`, { kind: 'network', transient: true }, err);
  }
}

/**
 * How an object is parsed: YAML when its key ends in `.yaml` or `.yml`, or (a key with no such
 * extension) when its `Content-Type` is a YAML type; else JSON5, which reads JSON too. A `.json` key
 * stays JSON5, as S3 layers have always been read: a comment in it does not start failing.
 */
export function objectFormat(key: string, contentType: string | undefined): Format {
  const byKey = formatOfPath(key);
  if (byKey !== undefined) return byKey === 'yaml' ? 'yaml' : 'json5';
  return formatOfMediaType(mediaType(contentType)) === 'yaml' ? 'yaml' : 'json5';
}
