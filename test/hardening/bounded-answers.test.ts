import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromObject, loadConfig, resetConfigCache, type Source } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { unusedPort } from '../helpers.js';
import { type AwsPath, useAwsPath } from './aws-paths.js';
import { endless, type HostileEndpoint, type Seen, startHostileEndpoint } from './hostile-endpoint.js';
import { goodAnswer, HOST, isContentRequest, JSON_STORES, storeSource } from './store-answers.js';

/**
 * Every answer read into memory has a bound (SSM's page and a secret 1 MiB, AppConfig's
 * configuration its `maxBytes`, 4 MiB by default, an error 64 KiB): an answer that never ends fails
 * that layer (dropped or unavailable, stale on a reload) and its connection is closed, on
 * strataconf's own requests and on the SDK clients it creates. (A caller's own client reads as it
 * was built to; `timeoutMs` still ends its wait.) An error answer with a large body is still the
 * error it says it is: a 403 is never retried, whatever its size.
 */

const CREDENTIALS = {
  accessKeyId: 'AKIDBOUND',
  secretAccessKey: 'bounded-answers-secret',
  sessionToken: 'tok',
};
const OWN_PATHS: readonly AwsPath[] = ['light', 'own-sdk'];

let aws: HostileEndpoint;
let closedPort: number;
beforeAll(async () => {
  aws = await startHostileEndpoint(goodAnswer);
  closedPort = await unusedPort();
});
afterAll(() => aws.close());
beforeEach(() => {
  aws.answer = goodAnswer;
  vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(closedPort));
});
afterEach(() => {
  vi.useRealTimers();
  resetConfigCache();
});

/** The content requests answered with a body that never ends, from now on. */
function endlessContent(): Seen[] {
  const start = aws.seen.length;
  aws.answer = (req, res) =>
    isContentRequest(req) ? endless(res, 200, { 'content-type': 'application/json' }) : goodAnswer(req, res);
  return aws.seen.slice(start);
}

const cases = JSON_STORES.flatMap((store) => OWN_PATHS.map((path) => [store, path] as const));

describe('an answer that never ends', () => {
  it.each(cases)('%s over %s: the layer is unavailable and the connection closed', async (store, path) => {
    useAwsPath(path, aws.endpoint, CREDENTIALS);
    const start = aws.seen.length;
    endlessContent();
    const required = await loadConfig({
      sources: [storeSource(store, path, aws.endpoint, CREDENTIALS, { optional: false })],
    }).catch((err: unknown) => err);
    expect(required).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { transient: true } });
    expect((required as Error).message).toMatch(/answered more than \d+ bytes/);
    const content = aws.seen.slice(start).filter(isContentRequest);
    // One request (an oversized answer is not retried), and strataconf hung up on it.
    expect(content).toHaveLength(1);
    await content[0]?.closed;
  });

  it.each(cases)('%s over %s: a reload keeps the last good layer with SOURCE_STALE', async (store, path) => {
    useAwsPath(path, aws.endpoint, CREDENTIALS);
    vi.useFakeTimers({ toFake: ['Date'] });
    const logger = captureWarnings();
    const sources: Source[] = [storeSource(store, path, aws.endpoint, CREDENTIALS)];
    const load = () => loadConfig({ sources, logger, maxAge: 10 });
    expect(await load()).toEqual({ db: { host: HOST[store] } });
    endlessContent();
    vi.setSystemTime(Date.now() + 11);
    expect(await load()).toEqual({ db: { host: HOST[store] } });
    expect(logger.codes()).toEqual(['SOURCE_STALE']);
  });
});

describe("AppConfig's maxBytes", () => {
  const big = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json', 'next-poll-interval-in-seconds': '0' });
    res.end(JSON.stringify({ db: { host: HOST.appconfig }, blob: 'x'.repeat(200_000) }));
  };

  it.each(OWN_PATHS)(
    'over %s: a configuration above it is unavailable; the default reads it',
    async (path) => {
      useAwsPath(path, aws.endpoint, CREDENTIALS);
      aws.answer = (req, res) => (isContentRequest(req) ? big(res) : goodAnswer(req, res));
      const logger = captureWarnings();
      const small = await loadConfig({
        sources: [
          fromObject({}),
          storeSource('appconfig', path, aws.endpoint, CREDENTIALS, { maxBytes: 100_000 }),
        ],
        logger,
      });
      expect(small).toEqual({});
      expect(logger.warnings[0]?.message).toMatch(/answered more than 100000 bytes/);
      resetConfigCache();
      const loaded = await loadConfig({
        sources: [storeSource('appconfig', path, aws.endpoint, CREDENTIALS)],
      });
      expect(loaded).toMatchObject({ db: { host: HOST.appconfig } });
    },
  );

  it('refuses a maxBytes that is not a positive integer', () => {
    expect(() => storeSource('appconfig', 'light', aws.endpoint, CREDENTIALS, { maxBytes: 0 })).toThrow(
      /maxBytes must be a positive integer/,
    );
  });
});

describe('an error answer with a large body', () => {
  const denied = (padding: (res: ServerResponse) => void) => (req: Seen, res: ServerResponse) => {
    if (!isContentRequest(req)) return goodAnswer(req, res);
    padding(res);
  };

  it.each(OWN_PATHS)('over %s: a 403 with 128 KiB of body is access denied, sent once', async (path) => {
    useAwsPath(path, aws.endpoint, CREDENTIALS);
    aws.answer = denied((res) => {
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          __type: 'AccessDeniedException',
          message: 'denied',
          padding: 'p'.repeat(128 * 1024),
        }),
      );
    });
    const start = aws.seen.length;
    const required = await loadConfig({
      sources: [storeSource('ssm', path, aws.endpoint, CREDENTIALS, { optional: false })],
    }).catch((err: unknown) => err);
    expect(required).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { kind: 'denied' } });
    expect((required as Error).message).toMatch(/access denied/);
    expect(aws.seen.length - start).toBe(1);
  });

  it('a 403 whose body never ends is still access denied, sent once, its connection closed', async () => {
    useAwsPath('light', aws.endpoint, CREDENTIALS);
    aws.answer = denied((res) => endless(res, 403, { 'x-amzn-errortype': 'AccessDeniedException' }));
    const start = aws.seen.length;
    const required = await loadConfig({
      sources: [storeSource('secrets', 'light', aws.endpoint, CREDENTIALS, { optional: false })],
    }).catch((err: unknown) => err);
    expect(required).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { kind: 'denied' } });
    const sent = aws.seen.slice(start);
    expect(sent).toHaveLength(1);
    await sent[0]?.closed;
  });
});
