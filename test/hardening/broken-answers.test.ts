import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromObject, loadConfig, resetConfigCache, type Source } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { unusedPort } from '../helpers.js';
import { PATHS, useAwsPath } from './aws-paths.js';
import { type HostileEndpoint, type Seen, startHostileEndpoint } from './hostile-endpoint.js';
import { expectNoSecrets, surfaces } from './leaks.js';
import { goodAnswer, HOST, isContentRequest, JSON_STORES, storeSource } from './store-answers.js';

/**
 * An answer that cannot be understood (a 200 that is not the protocol's JSON: a proxy's login page)
 * is treated as the network failure it stands for: a reload keeps the last good layer with
 * SOURCE_STALE, a first load finds the layer unavailable (dropped when optional), never a
 * PARSE_ERROR that would fail the load; and the page's text is copied into no message.
 */

const CREDENTIALS = {
  accessKeyId: 'AKIDBROKEN',
  secretAccessKey: 'broken-answers-secret',
  sessionToken: 'tok',
};
const PAGE_TEXT = 'proxy-login-PLANTED-4f2e';

function htmlPage(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><body><h1>Sign in</h1><p>${PAGE_TEXT}</p></body></html>`);
}

/** A 200 whose body is not JSON but says it is (a truncated or garbled answer). */
function garbled(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(`{"Parameters": [ ${PAGE_TEXT}`);
}

/** The warnings about the remote layer (the store's value over the bundled one warns too). */
const remote = (codes: readonly (string | undefined)[]) =>
  codes.filter((code) => code !== 'UNEXPECTED_OVERRIDE');

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

const cases = JSON_STORES.flatMap((store) => PATHS.map((path) => [store, path] as const));

describe('an answer that cannot be understood', () => {
  it.each(cases)('%s over %s: a reload keeps the last good layer with SOURCE_STALE', async (store, path) => {
    useAwsPath(path, aws.endpoint, CREDENTIALS);
    vi.useFakeTimers({ toFake: ['Date'] });
    const logger = captureWarnings();
    const sources: Source[] = [
      fromObject({ db: { host: 'bundled-default' } }),
      storeSource(store, path, aws.endpoint, CREDENTIALS),
    ];
    const load = () => loadConfig({ sources, logger, maxAge: 10 });
    expect(await load()).toEqual({ db: { host: HOST[store] } });
    aws.answer = (req: Seen, res) => (isContentRequest(req) ? htmlPage(res) : goodAnswer(req, res));
    vi.setSystemTime(Date.now() + 11);
    expect(await load()).toEqual({ db: { host: HOST[store] } });
    expect(remote(logger.codes())).toEqual(['SOURCE_STALE']);
    expect(logger.warnings.find((w) => w.details?.code === 'SOURCE_STALE')?.message).toMatch(
      /could not be understood/,
    );
    expectNoSecrets(surfaces(undefined, logger.warnings), [PAGE_TEXT]);
  });

  it.each(cases)(
    '%s over %s: a first load finds the layer unavailable, not a PARSE_ERROR',
    async (store, path) => {
      useAwsPath(path, aws.endpoint, CREDENTIALS);
      aws.answer = (_req, res) => htmlPage(res);
      const logger = captureWarnings();
      const config = await loadConfig({
        sources: [
          fromObject({ db: { host: 'bundled-default' } }),
          storeSource(store, path, aws.endpoint, CREDENTIALS),
        ],
        logger,
      });
      expect(config).toEqual({ db: { host: 'bundled-default' } });
      expect(remote(logger.codes())).toEqual(['SOURCE_DROPPED']);
      const required = await loadConfig({
        sources: [storeSource(store, path, aws.endpoint, CREDENTIALS, { optional: false })],
      }).catch((err: unknown) => err);
      expect(required).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { transient: true } });
      expectNoSecrets(surfaces(required, logger.warnings), [PAGE_TEXT]);
    },
  );

  it.each(['ssm', 'secrets'] as const)(
    '%s: a garbled JSON answer is unavailable, its text in no message, and is not retried',
    async (store) => {
      useAwsPath('light', aws.endpoint, CREDENTIALS);
      aws.answer = (_req, res) => garbled(res);
      const before = aws.seen.length;
      const required = await loadConfig({
        sources: [storeSource(store, 'light', aws.endpoint, CREDENTIALS, { optional: false })],
      }).catch((err: unknown) => err);
      expect(required).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
      expect(aws.seen.length - before).toBe(1);
      expectNoSecrets(surfaces(required), [PAGE_TEXT]);
    },
  );
});
