import {
  AppConfigDataClient,
  AppConfigDataServiceException,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromAppConfig, loadConfig, resetConfigCache } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { configError } from '../helpers.js';
import { sourceContract } from './contract.js';

const appconfig = mockClient(AppConfigDataClient);
const client = new AppConfigDataClient({ region: 'eu-west-1' });
const TARGET = 'orders/prod/settings';
const bytes = (text: string) => new TextEncoder().encode(text);

/** Serves `text` once per session; `reject` answers the first GetLatestConfiguration calls with an error. */
function serve(text: string, contentType = 'application/json', reject: Error[] = []) {
  appconfig.on(StartConfigurationSessionCommand).resolves({ InitialConfigurationToken: 't0' });
  let n = 0;
  appconfig.on(GetLatestConfigurationCommand).callsFake(() => {
    const err = reject.shift();
    if (err) throw err;
    return latest(text, contentType, ++n);
  });
}

function latest(text: string, contentType: string, n: number) {
  return {
    NextPollConfigurationToken: `t${n}`,
    NextPollIntervalInSeconds: 0,
    ContentType: contentType,
    Configuration: n === 1 ? bytes(text) : new Uint8Array(),
  };
}

function awsError(name: string, status: number): AppConfigDataServiceException {
  return new AppConfigDataServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    message: `${name} from the mock`,
    $metadata: { httpStatusCode: status },
  });
}

beforeEach(() => {
  appconfig.reset();
  // Should anything escape the mock: a closed port, fake credentials, never AWS.
  vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', '9');
  vi.stubEnv('AWS_ENDPOINT_URL_APPCONFIGDATA', 'http://127.0.0.1:9');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
});
afterEach(() => resetConfigCache());

describe('fromAppConfig', () => {
  it('is named appconfig:application/environment/profile and optional by default', () => {
    const source = fromAppConfig(TARGET, { client });
    expect(source).toMatchObject({ name: `appconfig:${TARGET}`, optional: true });
    expect(fromAppConfig({ application: 'a', environment: 'b', profile: 'c' }).name).toBe('appconfig:a/b/c');
    expect(fromAppConfig(TARGET, { name: 'flags', optional: false })).toMatchObject({
      name: 'flags',
      optional: false,
    });
  });

  it.each([
    ['a/b', '"a/b"'],
    ['a/b/c/d', '"a/b/c/d"'],
    ['a//c', '"a//c"'],
    [undefined, 'got undefined'],
    [{ application: 'a', environment: 'b' }, 'an object missing a part'],
  ])('refuses the target %j at once with USAGE saying what it got', async (target, shown) => {
    const err = await configError(() => fromAppConfig(target as string));
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain('"application/environment/profile"');
    expect(err.message).toContain(shown);
  });

  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs must be a positive number'],
    [{ optional: 'yes' }, 'optional must be true or false'],
    [{ enabled: 1 }, 'enabled must be true or false'],
    [{ region: '' }, 'region must be a non-empty string'],
    [{ client: {} }, 'client must be an AWS SDK v3 client'],
  ])('refuses the options %j with USAGE', async (opts, message) => {
    const err = await configError(() => fromAppConfig(TARGET, opts as object));
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain(message);
  });

  it('reads through the given client, and never tries the extension', async () => {
    serve('{"a":1}');
    expect(await loadConfig({ sources: [fromAppConfig(TARGET, { client })] })).toEqual({ a: 1 });
    expect(appconfig.commandCalls(StartConfigurationSessionCommand)[0]?.args[0].input).toEqual({
      ApplicationIdentifier: 'orders',
      EnvironmentIdentifier: 'prod',
      ConfigurationProfileIdentifier: 'settings',
    });
  });

  it('starts one new session when GetLatestConfiguration rejects the token, and fails when that does too', async () => {
    serve('{"a":1}', 'application/json', [awsError('BadRequestException', 400)]);
    const logger = captureWarnings();
    const source = fromAppConfig(TARGET, { client, optional: false });
    expect(await loadConfig({ sources: [source], logger })).toEqual({ a: 1 });
    expect(appconfig.commandCalls(StartConfigurationSessionCommand)).toHaveLength(2);
    resetConfigCache();
    const rejected = [awsError('BadRequestException', 400), awsError('BadRequestException', 400)];
    serve('{"a":1}', 'application/json', rejected);
    const err = await configError(
      loadConfig({ sources: [fromAppConfig('x/y/z', { client, optional: false })] }),
    );
    expect(err.message).toContain('AppConfig rejected the request (BadRequestException)');
  });

  it('gives up after timeoutMs on a client that never answers', async () => {
    appconfig.on(StartConfigurationSessionCommand).callsFake(() => new Promise(() => {}));
    const logger = captureWarnings();
    const config = await loadConfig({ sources: [fromAppConfig(TARGET, { client, timeoutMs: 50 })], logger });
    expect(config).toEqual({});
    expect(logger.warnings[0]?.message).toBe(
      `dropped optional source appconfig:${TARGET}: no answer within 50 ms (timeoutMs)`,
    );
  });

  it('is skipped without a word when not enabled', async () => {
    serve('{"a":1}');
    expect(fromAppConfig(TARGET, { client, enabled: false }).enabled).toBe(false);
  });
});

sourceContract({
  kind: 'fromAppConfig (mocked client)',
  make: () => {
    serve('{"app":{"name":"contract","port":8080}}');
    return fromAppConfig(TARGET, { client });
  },
});
