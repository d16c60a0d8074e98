import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineConfig, fromFile, fromS3, loadConfig, resetConfigCache } from '../../src/index.js';
import { MAX_ATTEMPTS } from '../../src/sources/s3/engine.js';
import { resetSharedClients } from '../../src/sources/s3/sdk.js';
import { captureWarnings } from '../../src/testing.js';
import { configError, fixture } from '../helpers.js';
import { S3_PATHS, stubS3Env } from '../setup/s3.js';

/**
 * Failures s3rver cannot produce (denied, throttled, 5xx, refused, stalled, slow), from a small HTTP
 * server on 127.0.0.1 that answers as S3 does, talked to by the real SDK client strataconf creates.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const TARGET = 's3://orders-config/prod.json5';
const base = () => fromFile(fixture('s3', 'base.json5'));
let server: Server;
let endpoint: string;
let handler: Handler;
let requests = 0;
let logger = captureWarnings();

function s3ErrorResponse(status: number, code: string): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'test' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code} from the test server</Message><RequestId>test</RequestId></Error>`,
    );
  };
}

/** Answers with a JSON5 body and an ETag. */
function object(text: string, etag: string): Handler {
  return (_req, res) => {
    res.writeHead(200, {
      etag,
      'content-length': Buffer.byteLength(text),
      'content-type': 'application/json5',
    });
    res.end(text);
  };
}

/** Resolves when the response's connection closes (the client gave up and hung up). */
let hungUp: Promise<void>;
const never: Handler = (_req, res) => {
  hungUp = new Promise((resolve) => res.on('close', () => resolve()));
};

// Every case runs on both ways fromS3 reaches S3 without a client: light (credentials in the
// environment, no SDK) and sdk (credentials in a shared file: the SDK's client).
describe.each(S3_PATHS)('%s path', (path) => {
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests = 0;
    logger = captureWarnings();
    stubS3Env(path);
    vi.stubEnv('AWS_ENDPOINT_URL_S3', endpoint);
  });
  afterEach(() => {
    resetConfigCache();
    resetSharedClients();
  });

  describe('fromS3 on S3 error answers', () => {
    const DENIED =
      'access denied (AccessDenied): the role needs s3:GetObject on the object (S3 also denies a missing key to a role without s3:ListBucket)';
    it.each([
      {
        status: 500,
        code: 'InternalError',
        attempts: MAX_ATTEMPTS,
        reason: 'S3 server error (InternalError, HTTP 500) after 2 attempts',
      },
      { status: 403, code: 'AccessDenied', attempts: 1, reason: DENIED },
    ])(
      'drops an optional layer on HTTP $status $code, after $attempts request(s)',
      async ({ status, code, reason, attempts }) => {
        handler = s3ErrorResponse(status, code);
        const config = await loadConfig({ sources: [base(), fromS3(TARGET)], logger });
        expect(config).toMatchObject({ db: { pool: 2 } });
        expect(logger.warnings.map((w) => w.message)).toEqual([
          `dropped optional source ${TARGET}: ${reason}`,
        ]);
        expect(requests).toBe(attempts);
      },
    );

    it('retries a throttled layer after waits near a second, until the time left cannot hold the next wait', async () => {
      // The waits are drawn at random: pinned at 0.5, they are 1.6 s, then 2.8 s (decorrelated jitter).
      vi.spyOn(Math, 'random').mockReturnValue(0.5);
      handler = s3ErrorResponse(503, 'SlowDown');
      await loadConfig({ sources: [base(), fromS3(TARGET, { timeoutMs: 3000 })], logger });
      expect(requests).toBe(2);
      expect(logger.warnings.map((w) => w.message)).toEqual([
        `dropped optional source ${TARGET}: throttled by S3 (SlowDown, HTTP 503) after 2 attempts; the next attempt would have waited 2.8 s, beyond the time left (timeoutMs, or the Lambda deadline)`,
      ]);
    });

    it('fails a required layer on throttling with SOURCE_UNAVAILABLE, naming the throttle', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0.5);
      handler = s3ErrorResponse(503, 'SlowDown');
      const err = await configError(
        loadConfig({ sources: [fromS3(TARGET, { optional: false, timeoutMs: 500 })] }),
      );
      expect(err.code).toBe('SOURCE_UNAVAILABLE');
      expect(err.message).toBe(
        `${TARGET} is unavailable: throttled by S3 (SlowDown, HTTP 503); the next attempt would have waited 1.6 s, beyond the time left (timeoutMs, or the Lambda deadline)`,
      );
      expect(err.details).toMatchObject({ kind: 'throttled', transient: true });
    });

    it('drops an optional layer when the connection is refused', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as { port: number }).port;
      await new Promise((resolve) => closed.close(resolve));
      vi.stubEnv('AWS_ENDPOINT_URL_S3', `http://127.0.0.1:${port}`);
      await loadConfig({ sources: [base(), fromS3(TARGET)], logger });
      expect(logger.warnings.map((w) => w.message)).toEqual([
        `dropped optional source ${TARGET}: network error (ECONNREFUSED) after 2 attempts`,
      ]);
    });
  });

  describe('fromS3 on slow or stalled answers', () => {
    it('cuts a body that stops halfway at timeoutMs and hangs up', async () => {
      handler = (req, res) => {
        never(req, res);
        res.writeHead(200, { etag: '"slow"', 'content-length': 100 });
        res.write('{ db: { pool');
      };
      await loadConfig({ sources: [base(), fromS3(TARGET, { timeoutMs: 300 })], logger });
      expect(logger.warnings.map((w) => w.message)).toEqual([
        `dropped optional source ${TARGET}: no answer within 300 ms (timeoutMs)`,
      ]);
      await hungUp;
    });

    it('refuses an object above maxBytes with PARSE_ERROR, without downloading it', async () => {
      handler = (req, res) => {
        never(req, res);
        res.writeHead(200, { etag: '"big"', 'content-length': 2_000_000 });
        res.write(' '.repeat(1000));
      };
      const err = await configError(loadConfig({ sources: [fromS3(TARGET)] }));
      expect(err.message).toBe(
        `${TARGET}: the object is 2000000 bytes, above the limit of 1048576 bytes (maxBytes)`,
      );
      await hungUp;
    });

    it('stops at the Lambda deadline when the remaining time is shorter than timeoutMs', async () => {
      handler = never;
      const context = { getRemainingTimeInMillis: () => 400 };
      // The server never answers: had the deadline not stopped the wait, the test would time out.
      const config = await loadConfig({ sources: [base(), fromS3(TARGET)], logger, context });
      expect(config).toMatchObject({ db: { pool: 2 } });
      expect(logger.warnings.map((w) => w.message)).toEqual([
        `dropped optional source ${TARGET}: Lambda deadline`,
      ]);
      await hungUp;
    });

    it('fails a required layer at the Lambda deadline through definition.load({ context })', async () => {
      handler = never;
      const definition = defineConfig({ sources: [base(), fromS3(TARGET, { optional: false })] });
      const err = await configError(definition.load({ context: { getRemainingTimeInMillis: () => 400 } }));
      expect(err.code).toBe('SOURCE_UNAVAILABLE');
      expect(err.message).toMatch(
        new RegExp(`^${TARGET} is unavailable: no answer within the Lambda's remaining time`),
      );
      await hungUp;
    });
  });

  describe('fromS3 warm reload against a failing server', () => {
    it('keeps the last good layer (same config) with a SOURCE_STALE warning when S3 starts failing', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const load = () => loadConfig({ sources: [base(), fromS3(TARGET)], logger, maxAge: 1000 });
        handler = object('{ db: { pool: 10 } }', '"e1"');
        const first = await load();
        handler = s3ErrorResponse(500, 'InternalError');
        vi.setSystemTime(Date.now() + 1100);
        expect(await load()).toBe(first);
        expect(logger.warnings).toMatchObject([
          {
            code: 'SOURCE_STALE',
            message: `kept the last good layer of ${TARGET}: S3 server error (InternalError, HTTP 500) after 2 attempts`,
          },
        ]);
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
