import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromSsm, loadConfig, resetConfigCache } from '../../../src/index.js';
import { type LocalAws, startLocalAws } from '../../../src/testing.js';

/**
 * How a remote layer reaches its store (src/sources/remote/connect.ts), decided at each load: the
 * caller's client when given; else strataconf's own signed requests when the credentials are in the
 * environment (always so on Lambda, where importing the SDK is most of a cold start); else the
 * store's SDK client. The local stores (on 127.0.0.1) answer one value, the mocked SDK client
 * another, so the value read tells the path taken.
 */

const ssm = mockClient(SSMClient);
let aws: LocalAws;

beforeAll(async () => {
  aws = await startLocalAws({ ssm: { '/app/db/host': 'over-the-light-path' } });
});
afterAll(() => aws.close());
beforeEach(() => {
  ssm.reset();
  ssm.on(GetParametersByPathCommand).resolves({
    Parameters: [{ Name: '/app/db/host', Type: 'String', Value: 'through-the-sdk' }],
  });
  for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
});
afterEach(() => resetConfigCache());

describe('the path a remote layer takes', () => {
  it('sends its own signed requests when the credentials are in the environment, not through the SDK', async () => {
    expect(await loadConfig({ sources: [fromSsm('/app/')] })).toEqual({
      db: { host: 'over-the-light-path' },
    });
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(0);
  });

  it('goes through the SDK client when the environment has no credentials (profiles, SSO, roles)', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    expect(await loadConfig({ sources: [fromSsm('/app/')] })).toEqual({ db: { host: 'through-the-sdk' } });
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(1);
  });

  it("uses the caller's client when given, credentials in the environment or not", async () => {
    const client = new SSMClient({ region: 'us-east-1' });
    expect(await loadConfig({ sources: [fromSsm('/app/', { client })] })).toEqual({
      db: { host: 'through-the-sdk' },
    });
    expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(1);
  });
});
