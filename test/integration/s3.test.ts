import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { explainConfig, fromFile, fromS3, loadConfig, resetConfigCache } from '../../src/index.js';
import { resetSharedClients } from '../../src/sources/s3/sdk.js';
import { captureWarnings } from '../../src/testing.js';
import { configError, fixture } from '../helpers.js';
import { putObject, requestsFor, S3_PATHS, seedObjects, stubS3Env, testS3Client } from '../setup/s3.js';
import { sourceContract } from '../sources/contract.js';
import { s3Fixture } from '../sources/s3-mock.js';

/**
 * fromS3 with the real @aws-sdk/client-s3 over HTTP against s3rver on 127.0.0.1 (test/setup/s3rver.ts).
 * Most cases use the client strataconf creates, pointed at the server by environment variables only.
 */

const BUCKET = 'strataconf-it-s3';
const url = (key: string) => `s3://${BUCKET}/${key}`;
const base = () => fromFile(fixture('s3', 'base.json5'));
let logger = captureWarnings();

// Every case runs on both ways fromS3 reaches S3 without a client: light (credentials in the
// environment, no SDK) and sdk (credentials in a shared file: the SDK's client).
describe.each(S3_PATHS)('%s path', (path) => {
  beforeAll(() =>
    seedObjects(BUCKET, {
      'prod.json5': s3Fixture('prod.json5'),
      'corrupt.json5': s3Fixture('corrupt.json5'),
    }),
  );
  beforeEach(() => {
    stubS3Env(path);
    logger = captureWarnings();
  });
  afterEach(() => {
    vi.useRealTimers();
    resetConfigCache();
    resetSharedClients();
  });

  describe('fromS3 against s3rver', () => {
    it('layers the object over the bundled file, and explainConfig names it with its ETag', async () => {
      const etag = await putObject(BUCKET, 'explained.json5', s3Fixture('prod.json5'));
      const config = await loadConfig({ sources: [base(), fromS3(url('explained.json5'))], logger });
      expect(config).toMatchObject({
        service: 'orders',
        db: { port: 5432, pool: 10 },
        featureFlags: { newCheckout: true },
      });
      expect(logger.warnings).toEqual([]);
      const pool = explainConfig(config).find((row) => row.path.join('.') === 'db.pool');
      expect(pool).toEqual({
        path: ['db', 'pool'],
        value: 10,
        source: url('explained.json5'),
        overridden: [fixture('s3', 'base.json5')],
      });
      expect(pool?.sourceVersion).toBe(`ETag ${etag}`);
      expect(Object.keys(pool ?? {})).toEqual(['path', 'value', 'source', 'overridden']);
    });

    it.each([
      ['a missing key', url('missing.json5'), 'object not found (NoSuchKey)'],
      ['a missing bucket', 's3://strataconf-no-such-bucket/prod.json5', 'bucket not found (NoSuchBucket)'],
    ])('drops an optional layer on %s with one warning naming it', async (_, target, reason) => {
      const config = await loadConfig({ sources: [base(), fromS3(target)], logger });
      expect(config).toMatchObject({ db: { host: 'localhost', pool: 2 } });
      expect(logger.warnings.map((w) => w.message)).toEqual([`dropped optional source ${target}: ${reason}`]);
    });

    it.each([
      ['a missing key', url('missing.json5'), 'object not found (NoSuchKey)'],
      ['a missing bucket', 's3://strataconf-no-such-bucket/prod.json5', 'bucket not found (NoSuchBucket)'],
    ])('fails a required layer on %s with SOURCE_UNAVAILABLE', async (_, target, reason) => {
      const err = await configError(loadConfig({ sources: [base(), fromS3(target, { optional: false })] }));
      expect(err.code).toBe('SOURCE_UNAVAILABLE');
      expect(err.message).toBe(`${target} is unavailable: ${reason}`);
    });

    it('drops the layer when the access key is unknown (InvalidAccessKeyId)', async () => {
      // s3rver knows only S3RVER; the sdk path reads its key from the credentials file's profile.
      if (path === 'light') vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAUNKNOWN');
      else vi.stubEnv('AWS_PROFILE', 'unknown');
      await loadConfig({ sources: [base(), fromS3(url('prod.json5'))], logger });
      expect(logger.warnings.map((w) => w.message)).toEqual([
        `dropped optional source ${url('prod.json5')}: credentials rejected (InvalidAccessKeyId)`,
      ]);
    });

    it.each([true, false])('fails with PARSE_ERROR on a corrupt object (optional: %s)', async (optional) => {
      const err = await configError(
        loadConfig({ sources: [base(), fromS3(url('corrupt.json5'), { optional })] }),
      );
      expect(err.code).toBe('PARSE_ERROR');
      expect(err.message).toBe(
        `${url('corrupt.json5')}: invalid JSON5 at line 3, column 3 (invalid character)`,
      );
    });

    it('uses a caller-supplied client (the environment points nowhere useful)', async () => {
      vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:9');
      const config = await loadConfig({
        sources: [fromS3(url('prod.json5'), { client: testS3Client() })],
        logger,
      });
      expect(config).toMatchObject({ db: { pool: 10 } });
      expect(logger.warnings).toEqual([]);
    });
  });

  describe('fromS3 warm reloads against s3rver', () => {
    const MAX_AGE = 60_000;
    const load = (key: string) =>
      loadConfig({ sources: [base(), fromS3(url(key))], maxAge: MAX_AGE, logger });
    const later = () => vi.setSystemTime(Date.now() + MAX_AGE * 1.1);
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['Date'] });
    });

    it('gets a 304 for an unchanged object after maxAge and returns the same config', async () => {
      const etag = await putObject(BUCKET, `unchanged-${path}.json5`, s3Fixture('prod.json5'));
      const first = await load(`unchanged-${path}.json5`);
      later();
      expect(await load(`unchanged-${path}.json5`)).toBe(first);
      const gets = requestsFor(BUCKET, `unchanged-${path}.json5`).filter((r) => r.method === 'GET');
      expect(gets.map((r) => [r.status, r.ifNoneMatch])).toEqual([
        [200, null],
        [304, etag],
      ]);
    });

    it('swaps in a new config with the new value when the object changed', async () => {
      await putObject(BUCKET, 'changed.json5', s3Fixture('prod.json5'));
      const first = await load('changed.json5');
      const etag = await putObject(BUCKET, 'changed.json5', s3Fixture('prod-v2.json5'));
      later();
      const second = await load('changed.json5');
      expect(first).toMatchObject({ db: { pool: 10 } });
      expect(second).toMatchObject({ db: { pool: 20 } });
      expect(explainConfig(second).find((r) => r.path.join('.') === 'db.pool')?.sourceVersion).toBe(
        `ETag ${etag}`,
      );
    });

    it('keeps the last good config with RELOAD_FAILED when the object turns corrupt', async () => {
      await putObject(BUCKET, 'turns-corrupt.json5', s3Fixture('prod.json5'));
      const first = await load('turns-corrupt.json5');
      await putObject(BUCKET, 'turns-corrupt.json5', s3Fixture('corrupt.json5'));
      later();
      expect(await load('turns-corrupt.json5')).toBe(first);
      expect(logger.codes()).toEqual(['RELOAD_FAILED']);
    });
  });

  describe('fromS3 and a server that never answers', () => {
    it('drops the layer after timeoutMs and closes the connection', async () => {
      const sockets: Socket[] = [];
      const closed: Promise<void>[] = [];
      const silent = createServer((socket) => {
        sockets.push(socket);
        closed.push(new Promise((resolve) => socket.on('close', () => resolve())));
        // Read (and ignore) the request, so the client's FIN is seen when it gives up.
        socket.resume();
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as { port: number };
      vi.stubEnv('AWS_ENDPOINT_URL_S3', `http://127.0.0.1:${port}`);
      try {
        const started = Date.now();
        const config = await loadConfig({
          sources: [base(), fromS3(url('prod.json5'), { timeoutMs: 300 })],
          logger,
        });
        const elapsed = Date.now() - started;
        // Not sooner than timeoutMs (a busy machine only makes it later; the message names the cause).
        expect(elapsed).toBeGreaterThanOrEqual(290);
        expect(config).toMatchObject({ db: { pool: 2 } });
        expect(logger.warnings.map((w) => w.message)).toEqual([
          `dropped optional source ${url('prod.json5')}: no answer within 300 ms (timeoutMs)`,
        ]);
        expect(sockets).toHaveLength(1);
        await Promise.all(closed);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });

  describe('the source contract', () => {
    beforeAll(() => putObject(BUCKET, 'contract.json5', readFileSync(fixture('contract', 'app.json5'))));
    sourceContract({ kind: `fromS3 on the ${path} path`, make: () => fromS3(url('contract.json5')) });
  });
});
