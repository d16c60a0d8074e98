/**
 * On Lambda (credentials in the environment, no client given) an AppConfig layer loads no module of
 * the AWS SDK: a child process whose module resolution refuses every `@aws-sdk/*` and `@smithy/*`
 * module still loads the layer, through the API and through the extension.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/testing.js';

const run = promisify(execFile);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
let server: LocalAws;

beforeAll(async () => {
  server = await startLocalAws({ appconfig: { 'orders/prod/settings': { content: '{"limit":7}' } } });
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
      ...server.env,
      ...env,
    },
  });
  return stdout;
}

describe('fromAppConfig on Lambda', () => {
  it('reads the AppConfigData API with signed requests and no AWS SDK module', async () => {
    server.requests.length = 0;
    const stdout = await child({ AWS_APPCONFIG_EXTENSION_HTTP_PORT: '9' });
    expect(JSON.parse(stdout)).toEqual({ limit: 7 });
    expect(server.requests.map((c) => c.operation)).toEqual([
      'StartConfigurationSession',
      'GetLatestConfiguration',
    ]);
  });

  it('reads the extension with no AWS SDK module', async () => {
    server.requests.length = 0;
    const stdout = await child({});
    expect(JSON.parse(stdout)).toEqual({ limit: 7 });
    expect(server.requests.map((c) => c.operation)).toEqual(['Extension']);
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
