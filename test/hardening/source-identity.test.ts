import {
  AppConfigDataClient,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineConfig, fromAppConfig, fromSsm, loadConfig, resetConfigCache } from '../../src/index.js';

/**
 * Two definitions that may read different values never share a cache entry: an AWS layer's
 * identity is its store's location, its region and the client it was given (a client is a
 * credential set, an endpoint, a region of its own). Before the source descriptor, the AppConfig
 * key left out region and client, and no key had the client: the second definition got the first's
 * config.
 */

const appconfig = mockClient(AppConfigDataClient);
const ssm = mockClient(SSMClient);
const bytes = (text: string) => new TextEncoder().encode(text);

/** Answers each AppConfig session with `{ "region": <the client's region> }`. */
function answerByRegion(): void {
  appconfig.on(StartConfigurationSessionCommand).resolves({ InitialConfigurationToken: 't0' });
  appconfig.on(GetLatestConfigurationCommand).callsFake(async (_input, getClient) => ({
    NextPollConfigurationToken: 't1',
    NextPollIntervalInSeconds: 0,
    ContentType: 'application/json',
    Configuration: bytes(JSON.stringify({ region: await getClient().config.region() })),
  }));
}

beforeEach(() => {
  appconfig.reset();
  ssm.reset();
  // No credentials in the environment (the SDK path), no extension, and nothing reaches AWS.
  vi.stubEnv('AWS_ACCESS_KEY_ID', '');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
  vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', '9');
  vi.stubEnv('AWS_ENDPOINT_URL_APPCONFIGDATA', 'http://127.0.0.1:9');
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', 'http://127.0.0.1:9');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
});
afterEach(() => resetConfigCache());

describe('the cache identity of an AWS layer', () => {
  it('keeps two AppConfig definitions that differ only in region apart', async () => {
    answerByRegion();
    const west = await loadConfig({ sources: [fromAppConfig('orders/prod/flags', { region: 'eu-west-1' })] });
    const east = await loadConfig({ sources: [fromAppConfig('orders/prod/flags', { region: 'us-east-2' })] });
    expect(west).toEqual({ region: 'eu-west-1' });
    expect(east).toEqual({ region: 'us-east-2' });
  });

  it('keeps two AppConfig definitions that differ only in client apart', async () => {
    answerByRegion();
    const ireland = new AppConfigDataClient({ region: 'eu-west-1' });
    const ohio = new AppConfigDataClient({ region: 'us-east-2' });
    const a = defineConfig({ sources: [fromAppConfig('orders/prod/flags', { client: ireland })] });
    const b = defineConfig({ sources: [fromAppConfig('orders/prod/flags', { client: ohio })] });
    expect(await a.load()).toEqual({ region: 'eu-west-1' });
    expect(await b.load()).toEqual({ region: 'us-east-2' });
  });

  it('keeps two SSM definitions that differ only in client apart, and shares one client rebuilt', async () => {
    ssm.on(GetParametersByPathCommand).callsFake(async (_input, getClient) => ({
      Parameters: [{ Name: '/app/region', Type: 'String', Value: await getClient().config.region() }],
    }));
    const ireland = new SSMClient({ region: 'eu-west-1' });
    const ohio = new SSMClient({ region: 'us-east-2' });
    const first = await loadConfig({ sources: [fromSsm('/app/', { client: ireland })] });
    expect(await loadConfig({ sources: [fromSsm('/app/', { client: ohio })] })).toEqual({
      region: 'us-east-2',
    });
    expect(await loadConfig({ sources: [fromSsm('/app/', { client: ireland })] })).toBe(first);
    expect(first).toEqual({ region: 'eu-west-1' });
  });
});
