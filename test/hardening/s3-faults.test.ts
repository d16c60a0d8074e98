import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromObject, fromS3, loadConfig, resetConfigCache } from '../../src/index.js';
import { resetSharedClients } from '../../src/sources/s3/sdk.js';
import { captureWarnings } from '../../src/testing.js';
import { configError } from '../helpers.js';
import { requestsFor, type S3Path, seedObjects, stubS3Env } from '../setup/s3.js';

/**
 * S3 faults that test/integration/s3-failures.test.ts does not already cover (there: 503 SlowDown,
 * 500, 403, a refused connection, a body that stops, a Content-Length above maxBytes, the Lambda
 * deadline), from a raw HTTP server on 127.0.0.1 talked to by fromS3 on its light path (credentials
 * in the environment; the checksum case on the SDK path, whose check it is). Each fault runs as an optional layer (dropped with one SOURCE_DROPPED warning) and as a
 * required one (SOURCE_UNAVAILABLE), with the requests counted and the time bounded by timeoutMs.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const TARGET = 's3://orders-config/prod.json5';
/** The timeoutMs of the faults that are about the time running out: a server that never answers. */
const TIMEOUT_MS = 400;
/**
 * The timeoutMs of every other fault: the server answers at once, so nothing waits it out, and a
 * machine at load 20 still sends its retries well within it.
 */
const ROOMY_MS = 10_000;
const VALID = '{ db: { pool: 10 } }';

let server: Server;
let handler: Handler;
let requests = 0;
let closed = 0;
let written = 0;

function s3Error(status: number, code: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/xml', ...headers });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>test</Message></Error>`,
    );
  };
}

const ok: Handler = (_req, res) => {
  res.writeHead(200, { etag: '"ok"', 'content-length': Buffer.byteLength(VALID) });
  res.end(VALID);
};

/** Answers each request with the next handler (the last one repeats). */
function sequence(...handlers: Handler[]): Handler {
  let i = 0;
  return (req, res) => (handlers[Math.min(i++, handlers.length - 1)] as Handler)(req, res);
}

/** Sends `bytes` forever, as fast as the client reads (chunked: no Content-Length to refuse it by). */
function endless(chunk: Buffer, everyMs?: number): Handler {
  return (_req, res) => {
    res.writeHead(200, { etag: '"endless"', 'content-type': 'application/json5' });
    res.write('{ blob: "');
    const pump = () => {
      while (!res.destroyed && !res.writableEnded) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
        if (everyMs !== undefined) return void setTimeout(pump, everyMs);
      }
    };
    pump();
  };
}

interface Fault {
  fault: string;
  handler: Handler;
  reason: string | RegExp;
  /** Requests the server receives (exactly, or a range when the SDK's retry delay is random). */
  requests: number | readonly [number, number];
  /** @default ROOMY_MS */
  timeoutMs?: number;
  /** Only on this path (a checksum is the SDK's check; the light path relies on TLS). @default both */
  path?: S3Path;
}

const faults: Fault[] = [
  {
    // A throttle is retried after a wait of 0.8-2.4 s (1.6 s with the random draw pinned at 0.5),
    // then the next wait (2.8 s) does not fit in what is left of 4 s: it gives up naming S3's answer.
    fault: 'throttling by HTTP 429',
    handler: s3Error(429, 'TooManyRequests'),
    reason:
      'throttled by S3 (TooManyRequests, HTTP 429) after 2 attempts; the next attempt would have waited 2.8 s, beyond the time left (timeoutMs, or the Lambda deadline)',
    requests: 2,
    timeoutMs: 4000,
  },
  {
    // The first wait after a throttle (1.6 s) is beyond timeoutMs: it gives up at once, not as a timeout.
    fault: 'throttling under a short timeoutMs',
    handler: s3Error(429, 'TooManyRequests'),
    reason:
      'throttled by S3 (TooManyRequests, HTTP 429); the next attempt would have waited 1.6 s, beyond the time left (timeoutMs, or the Lambda deadline)',
    requests: 1,
    timeoutMs: TIMEOUT_MS,
  },
  {
    // Retry-After is honoured up to 20 s: far past timeoutMs, so it gives up at once, naming the throttle.
    fault: '503 SlowDown asking to retry after 60 s',
    handler: s3Error(503, 'SlowDown', { 'retry-after': '60' }),
    reason:
      'throttled by S3 (SlowDown, HTTP 503); the next attempt would have waited 20 s, beyond the time left (timeoutMs, or the Lambda deadline)',
    requests: 1,
  },
  {
    fault: '500s that each take 300 ms',
    handler: (req, res) => setTimeout(() => s3Error(500, 'InternalError')(req, res), 300),
    // The retry waits 50 ms (the draw pinned at 0.5): it starts before timeoutMs, or (a slow
    // machine) the wait no longer fits and it gives up naming the 500.
    reason:
      /^(no answer within 400 ms \(timeoutMs\)|S3 server error \(InternalError, HTTP 500\); the next attempt would have waited 0\.1 s, beyond the time left \(timeoutMs, or the Lambda deadline\))$/,
    requests: [1, 2],
    timeoutMs: TIMEOUT_MS,
  },
  {
    fault: 'a connection reset before the answer',
    handler: (_req, res) => res.socket?.resetAndDestroy(),
    reason: 'network error (ECONNRESET) after 2 attempts',
    requests: 2,
  },
  {
    fault: 'a connection closed without an answer',
    handler: (_req, res) => res.socket?.end(),
    reason: 'network error (ECONNRESET) after 2 attempts',
    requests: 2,
  },
  {
    fault: 'a connection reset mid-body',
    handler: (_req, res) => {
      res.writeHead(200, { etag: '"reset"', 'content-length': 200 });
      res.write('{ db: { pool: 10', () => setTimeout(() => res.socket?.resetAndDestroy(), 20));
    },
    reason: 'the download broke off (ECONNRESET)',
    requests: 1,
  },
  {
    fault: 'a truncated body (Content-Length 200, a whole valid object of 20 bytes sent)',
    handler: (_req, res) => {
      res.writeHead(200, { etag: '"short"', 'content-length': 200 });
      res.write(VALID, () => setTimeout(() => res.socket?.end(), 20));
    },
    reason: 'the download broke off (ECONNRESET)',
    requests: 1,
  },
  {
    fault: 'a body that never ends (a byte every 20 ms)',
    handler: endless(Buffer.from(' '), 20),
    reason: 'no answer within 400 ms (timeoutMs)',
    requests: 1,
    timeoutMs: TIMEOUT_MS,
  },
  {
    fault: 'headers that never come',
    handler: () => {},
    reason: 'no answer within 400 ms (timeoutMs)',
    requests: 1,
    timeoutMs: TIMEOUT_MS,
  },
  {
    fault: 'an answer that is not HTTP',
    handler: (_req, res) => res.socket?.end('HELLO THERE\r\n\r\n'),
    reason: 'request failed (Error: Parse Error: Expected HTTP/, RTSP/ or ICE/)',
    requests: 1,
  },
  {
    fault: 'a body whose checksum does not match',
    path: 'sdk',
    handler: (_req, res) => {
      res.writeHead(200, {
        etag: '"crc"',
        'content-length': Buffer.byteLength(VALID),
        'x-amz-checksum-crc32': 'AAAAAA==',
      });
      res.end(VALID);
    },
    reason:
      /^the download broke off \(Checksum mismatch: expected "AAAAAA==" but received "[^"]+" in response header "x-amz-checksum-crc32"\.\)$/,
    requests: 1,
  },
];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    res.on('close', () => closed++);
    req.resume();
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
function useS3Path(path: S3Path): void {
  stubS3Env(path);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', `http://127.0.0.1:${(server.address() as { port: number }).port}`);
}

beforeEach(() => {
  requests = 0;
  closed = 0;
  written = 0;
  useS3Path('light');
  // The retry waits are drawn at random: pinned, so the requests each fault gets are known.
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  server.closeAllConnections();
  resetConfigCache();
  resetSharedClients();
});

function expectRequests(expected: Fault['requests']): void {
  if (typeof expected === 'number') expect(requests).toBe(expected);
  else {
    expect(requests).toBeGreaterThanOrEqual(expected[0]);
    expect(requests).toBeLessThanOrEqual(expected[1]);
  }
}

const base = () => fromObject({ db: { host: 'localhost', pool: 2 } }, { name: 'base' });

// No test here measures time (a busy CI machine makes any bound flaky): a timeout that did not
// work would leave the load waiting on a server that never answers, past the test's own time limit.

describe('S3 faults on an optional layer', () => {
  it.each(faults)('drops it on $fault, with one warning, within timeoutMs', async (f) => {
    handler = f.handler;
    if (f.path) useS3Path(f.path);
    const timeoutMs = f.timeoutMs ?? ROOMY_MS;
    const logger = captureWarnings();
    const config = await loadConfig({ sources: [base(), fromS3(TARGET, { timeoutMs })], logger });
    expect(config).toEqual({ db: { host: 'localhost', pool: 2 } });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
    expect(logger.warnings[0]?.details.reason).toMatch(f.reason);
    expectRequests(f.requests);
    // strataconf hung up on every request it gave up on: no socket is left open.
    await vi.waitFor(() => expect(closed).toBe(requests));
  });
});

describe('S3 faults on a required layer', () => {
  it.each(faults)('fails with SOURCE_UNAVAILABLE on $fault, within timeoutMs', async (f) => {
    handler = f.handler;
    if (f.path) useS3Path(f.path);
    const timeoutMs = f.timeoutMs ?? ROOMY_MS;
    const required = fromS3(TARGET, { timeoutMs, optional: false });
    const err = await configError(loadConfig({ sources: [base(), required] }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.details.source).toBe(TARGET);
    expect(err.details.reason).toMatch(f.reason);
    expect(err.message).toBe(`${TARGET} is unavailable: ${err.details.reason}`);
    expectRequests(f.requests);
  });
});

describe('S3 faults that are not about availability', () => {
  it('rides out one 500 with one retry: the layer loads, 2 requests, no warning', async () => {
    handler = sequence(s3Error(500, 'InternalError'), ok);
    const logger = captureWarnings();
    const config = await loadConfig({
      sources: [base(), fromS3(TARGET, { timeoutMs: ROOMY_MS })],
      logger,
      overrides: 'ignore',
    });
    expect(config).toEqual({ db: { host: 'localhost', pool: 10 } });
    expect(logger.warnings).toEqual([]);
    expect(requests).toBe(2);
  });

  it.each([true, false])(
    'refuses an endless object without Content-Length at maxBytes with PARSE_ERROR (optional: %s), reading little past it',
    async (optional) => {
      handler = endless(Buffer.alloc(64 * 1024, 0x61));
      const err = await configError(
        loadConfig({ sources: [base(), fromS3(TARGET, { optional, timeoutMs: 60_000 })] }),
      );
      expect(err.code).toBe('PARSE_ERROR');
      expect(err.message).toBe(
        `${TARGET}: the object is more than 1048576 bytes, above the limit of 1048576 bytes (maxBytes)`,
      );
      // It stopped at maxBytes, not at its timeoutMs (60 s, past the test's own time limit).
      await vi.waitFor(() => expect(closed).toBe(1));
      // The server could push only what the socket buffers held past the limit before the hang-up.
      expect(written).toBeLessThan(8 * 1024 * 1024);
    },
  );

  it('bounds a load with three failing layers by one timeoutMs, not three', async () => {
    handler = sequence(
      () => {},
      endless(Buffer.from(' '), 20),
      (_req, res) => {
        res.writeHead(200, { etag: '"slow"', 'content-length': 100 });
        res.write('{ db:');
      },
    );
    const logger = captureWarnings();
    // The layers wait together: every request was out when the first timeout fired (3 s: room
    // for a machine at load 20 to send all three before it).
    const seenAtFirstWarning: number[] = [];
    const names = ['a', 'b', 'c'].map((n) => `s3://orders-config/${n}.json5`);
    await loadConfig({
      sources: [base(), ...names.map((n) => fromS3(n, { timeoutMs: 3000 }))],
      logger: {
        warn(message, details) {
          seenAtFirstWarning.push(requests);
          logger.warn(message, details);
        },
      },
    });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED', 'SOURCE_DROPPED', 'SOURCE_DROPPED']);
    expect(seenAtFirstWarning[0]).toBe(3);
    expect(requests).toBe(3);
  });
});

describe('S3 faults against s3rver', () => {
  const BUCKET = 'strataconf-hardening-faults';
  const url = (key: string) => `s3://${BUCKET}/${key}`;
  // Seeding is quick, but not within vitest's 10 s hook limit on a busy machine.
  beforeAll(
    () =>
      seedObjects(BUCKET, { 'huge.json5': `{ blob: "${'x'.repeat(2 * 1024 * 1024)}" }`, 'ok.json5': VALID }),
    120_000,
  );
  // After the top-level beforeEach: the SDK talks to s3rver again.
  beforeEach(() => stubS3Env());

  it.each([true, false])(
    'refuses a 2 MiB object with PARSE_ERROR by its size (optional: %s)',
    async (optional) => {
      const err = await configError(
        loadConfig({ sources: [base(), fromS3(url('huge.json5'), { optional })] }),
      );
      expect(err.code).toBe('PARSE_ERROR');
      expect(err.message).toMatch(
        new RegExp(
          `^${url('huge.json5')}: the object is \\d+ bytes, above the limit of 1048576 bytes \\(maxBytes\\)$`,
        ),
      );
      expect(err.details.size).toBeGreaterThan(2 * 1024 * 1024);
    },
  );

  it('fails a required layer on a wrong access key (InvalidAccessKeyId) after one request, not retried', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAWRONGKEY0000');
    const before = requestsFor(BUCKET, 'ok.json5').length;
    const required = fromS3(url('ok.json5'), { optional: false, timeoutMs: ROOMY_MS });
    const err = await configError(loadConfig({ sources: [base(), required] }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toBe(`${url('ok.json5')} is unavailable: credentials rejected (InvalidAccessKeyId)`);
    expect(
      requestsFor(BUCKET, 'ok.json5')
        .slice(before)
        .map((r) => [r.method, r.status]),
    ).toEqual([['GET', 403]]);
  });
});
