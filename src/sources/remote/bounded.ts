import type { Readable } from 'node:stream';
import { MAX_ERROR_BODY, tooLargeError } from '../../aws/http.js';

/**
 * Size bounds on what the AWS SDK clients strataconf creates read into memory, as the light
 * transport has (src/aws/http.ts): the SDK collects a whole answer before it parses it, so an
 * endless answer from a broken endpoint or proxy would grow the process until it dies. A 2xx body
 * above the store's bound fails that call (`ETOOLARGE`) and closes the connection; an error body is
 * cut to its first 64 KiB, which hold its code and message. A client you pass is left as it is.
 */

interface HandlerLike {
  handle(request: unknown, options?: { maxBytes?: number }): Promise<{ response?: ResponseLike }>;
}

interface ResponseLike {
  statusCode?: number;
  body?: unknown;
}

function isReadable(body: unknown): body is Readable {
  return typeof (body as Readable | undefined)?.pipe === 'function';
}

/** `source` passed through up to `max` bytes: past it, failed (`ETOOLARGE`) or cut (`truncate`). */
async function bounded(source: Readable, max: number, truncate: boolean): Promise<Readable> {
  const { Transform } = await import('node:stream');
  let total = 0;
  let cut = false;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (cut) return done();
      if (total + chunk.length <= max) {
        total += chunk.length;
        return done(null, chunk);
      }
      cut = true;
      source.unpipe(limited);
      source.destroy();
      if (!truncate) return done(tooLargeError(max));
      this.push(chunk.subarray(0, max - total));
      this.push(null);
      done();
    },
  });
  source.on('error', (err) => limited.destroy(err));
  return source.pipe(limited);
}

/**
 * Bounds every answer `client` reads (see the top of this file): 2xx bodies to the `maxBytes` a
 * call passes in its send options, else `defaultMax` (`Infinity` leaves 2xx bodies to the caller,
 * as S3's streamed objects are), error bodies to 64 KiB.
 */
export function boundAnswers(client: unknown, defaultMax: number): void {
  const handler = (client as { config?: { requestHandler?: HandlerLike } } | undefined)?.config
    ?.requestHandler;
  if (handler === undefined || typeof handler.handle !== 'function') return;
  const handle = handler.handle.bind(handler);
  handler.handle = async (request, options = {}) => {
    const out = await handle(request, options);
    const res = out?.response;
    if (res !== undefined && isReadable(res.body)) {
      const status = res.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      const max = ok ? (options.maxBytes ?? defaultMax) : MAX_ERROR_BODY;
      if (max !== Number.POSITIVE_INFINITY) res.body = await bounded(res.body, max, !ok);
    }
    return out;
  };
}
