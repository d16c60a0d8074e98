/**
 * On Lambda (credentials in the environment, no client given) an AppConfig layer loads no module of
 * the AWS SDK: a child process whose module resolution refuses every `@aws-sdk/*` and `@smithy/*`
 * module still loads the layer, through the API and through the extension.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppConfigTestServer,
  startAppConfigServer,
  TEST_CREDENTIALS,
} from '../setup/appconfig-server.js';

const run = promisify(execFile);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
let server: AppConfigTestServer;

beforeAll(async () => {
  server = await startAppConfigServer();
  server.deploy('orders/prod/settings', {
    content: '{"limit":7}',
    contentType: 'application/json',
    version: '1',
  });
});
afterAll(() => server.close());

async function child(env: Record<string, string>): Promise<string> {
  const args = [
    '--import',
    'tsx',
    '--import',
    here('./fixtures/block-aws-sdk.mjs'),
    here('./fixtures/appconfig-child.ts'),
  ];
  const { stdout } = await run(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'eu-west-1',
      ...env,
    },
  });
  return stdout;
}

describe('fromAppConfig on Lambda', () => {
  it('reads the AppConfigData API with signed requests and no AWS SDK module', async () => {
    server.calls.length = 0;
    const stdout = await child({
      AWS_APPCONFIG_EXTENSION_HTTP_PORT: '9',
      AWS_ENDPOINT_URL_APPCONFIGDATA: server.endpoint,
    });
    expect(JSON.parse(stdout)).toEqual({ limit: 7 });
    expect(server.calls.map((c) => c.operation)).toEqual(['start', 'latest']);
  });

  it('reads the extension with no AWS SDK module', async () => {
    server.calls.length = 0;
    const stdout = await child({ AWS_APPCONFIG_EXTENSION_HTTP_PORT: String(server.agentPort) });
    expect(JSON.parse(stdout)).toEqual({ limit: 7 });
    expect(server.calls.map((c) => c.operation)).toEqual(['agent']);
  });

  it('would fail if the SDK were loaded: the blocker refuses it', async () => {
    const args = [
      '--import',
      here('./fixtures/block-aws-sdk.mjs'),
      '--input-type=module',
      '-e',
      "await import('@aws-sdk/client-appconfigdata')",
    ];
    await expect(run(process.execPath, args)).rejects.toThrow(
      /blocked AWS SDK module: @aws-sdk\/client-appconfigdata/,
    );
  });
});
