import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromAppConfig, loadConfig, resetConfigCache, type Source } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { useAwsPath } from './aws-paths.js';
import { type HostileEndpoint, never, startHostileEndpoint } from './hostile-endpoint.js';
import { goodAnswer, HOST } from './store-answers.js';

/**
 * The AppConfig extension's port, as Lambda may have it: the extension, nothing, or another program
 * that accepts and never answers, answers 404 or an HTML page. Until the extension has answered, a
 * read is a short probe (500 ms here), and anything but a configuration sends the layer to the
 * AppConfigData API, for this read and every later one in the environment; once the extension has
 * answered, its failures are its own (stale on a reload), and every request to it carries the load's
 * abort signal. No test here measures time: a probe that did not work would leave a read waiting
 * for its 60 s `timeoutMs`, past the test's own time limit.
 */

const CREDENTIALS = { accessKeyId: 'AKIDEXT', secretAccessKey: 'extension-secret', sessionToken: 'tok' };
const FROM_EXTENSION = 'extension-host';

let api: HostileEndpoint;
let port: HostileEndpoint;
beforeAll(async () => {
  api = await startHostileEndpoint(goodAnswer);
  port = await startHostileEndpoint(never);
});
afterAll(async () => {
  await api.close();
  await port.close();
});
beforeEach(() => {
  useAwsPath('light', api.endpoint, CREDENTIALS);
  vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(port.port));
  port.answer = never;
});
afterEach(() => {
  vi.useRealTimers();
  resetConfigCache();
});

function extensionAnswer(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'configuration-version': '7' });
  res.end(JSON.stringify({ db: { host: FROM_EXTENSION } }));
}

const layer = (profile: string, timeoutMs = 60_000): Source =>
  fromAppConfig(`app/prod/${profile}`, { optional: false, timeoutMs });

const apiCalls = () => api.seen.length;

describe('the AppConfig extension port, before the extension has answered', () => {
  it('accepting and never answering: the API reads the layer after the probe, and later layers skip the port', async () => {
    const before = apiCalls();
    expect(await loadConfig({ sources: [layer('first')] })).toEqual({ db: { host: HOST.appconfig } });
    expect(port.seen).toHaveLength(1);
    await port.seen[0]?.closed;
    expect(await loadConfig({ sources: [layer('second')] })).toEqual({ db: { host: HOST.appconfig } });
    expect(port.seen).toHaveLength(1);
    expect(apiCalls() - before).toBe(4);
    port.seen.length = 0;
  });

  it.each([
    ['a 404 from another program', (res: ServerResponse) => res.writeHead(404).end('Not Found')],
    [
      'a 200 HTML page',
      (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'),
    ],
    ['a 500', (res: ServerResponse) => res.writeHead(500).end('oops')],
  ])('%s is not the extension: the API reads the layer, not "profile missing"', async (_what, answer) => {
    port.answer = (_req, res) => answer(res);
    expect(await loadConfig({ sources: [layer('settings')] })).toEqual({ db: { host: HOST.appconfig } });
  });
});

describe('the AppConfig extension, once it has answered', () => {
  it('is read instead of the API, and a 404 from it means the profile is missing', async () => {
    port.answer = (_req, res) => extensionAnswer(res);
    const before = apiCalls();
    expect(await loadConfig({ sources: [layer('settings')] })).toEqual({ db: { host: FROM_EXTENSION } });
    port.answer = (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('no such profile');
    const missing = await loadConfig({ sources: [layer('other')] }).catch((err: unknown) => err);
    expect(missing).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { kind: 'not-found' } });
    expect(apiCalls()).toBe(before);
  });

  it('failing on a reload keeps its last layer (not the API), and the stopped request is aborted', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    port.answer = (_req, res) => extensionAnswer(res);
    const logger = captureWarnings();
    const sources = [layer('settings', 1500)];
    const load = () => loadConfig({ sources, logger, maxAge: 10 });
    expect(await load()).toEqual({ db: { host: FROM_EXTENSION } });
    const before = apiCalls();
    port.answer = never;
    vi.setSystemTime(Date.now() + 11);
    expect(await load()).toEqual({ db: { host: FROM_EXTENSION } });
    expect(logger.codes()).toEqual(['SOURCE_STALE']);
    expect(apiCalls()).toBe(before);
    // The request that got no answer was aborted at the timeout, not left open.
    await port.seen.at(-1)?.closed;
  });
});
