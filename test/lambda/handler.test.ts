import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { putObject, requestsFor, s3Env, seedObjects } from '../setup/s3.js';
import { loadInProcess } from './in-process.js';
import type { Invocation } from './runtime-api.js';
import { buildTaskRoot, type TaskRoot } from './task-root.js';

// The example function, bundled as deployed and run in this process: init once, then warm
// invocations. `npm run test:lambda` runs the same function under the real runtime loop.

const bucket = 'lambda-handler-in-process';
const productionLayer = await readFile(
  new URL('../../examples/lambda-handler/s3/production.json5', import.meta.url),
  'utf8',
);
const order = { customer: 'Ada', items: 3 };
let task: TaskRoot;

beforeAll(async () => {
  task = await buildTaskRoot();
  await seedObjects(bucket, { 'orders/production.json5': productionLayer });
});
afterAll(() => task?.remove());

/** Environment variables of a function reading `key` from the test bucket. */
function stubFunctionEnv(key: string, extra: Record<string, string | undefined> = {}): void {
  const env = {
    ...s3Env(),
    AWS_LAMBDA_FUNCTION_NAME: 'orders',
    CONFIG_S3_URI: `s3://${bucket}/${key}`,
    APP_DB__PASSWORD: 'test-password-not-a-secret',
    ...extra,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

function resultOf(invocation: Invocation): Record<string, unknown> {
  if (!invocation.outcome.ok)
    throw new Error(`the invocation failed: ${invocation.outcome.error.errorMessage}`);
  return invocation.outcome.result as Record<string, unknown>;
}

const gets = (key: string) => requestsFor(bucket, key).filter((r) => r.method === 'GET');

describe('the bundled example function', () => {
  it('leaves every @aws-sdk module out of the bundle, to be imported from the runtime', async () => {
    const inputs = Object.keys(task.metafile.inputs);
    expect(inputs.some((path) => path.includes('src/sources/s3'))).toBe(true);
    expect(inputs.filter((path) => /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//.test(path))).toEqual([]);
    const text = await readFile(task.file, 'utf8');
    // The package is named for an import made at run time, when a layer takes the SDK path.
    expect(text).toMatch(/["']@aws-sdk\/client-s3["']/);
    expect(text).not.toMatch(/class S3Client\b|GetObjectCommand extends/);
  });

  it('ships config.json5 beside the bundle', async () => {
    const copied = await readFile(`${task.dir}/config.json5`, 'utf8');
    expect(copied).toContain('$override');
  });
});

describe('the example function, warm in one environment', () => {
  it('loads the config once at init and reads nothing from S3 on warm invocations', async () => {
    const key = 'orders/production.json5';
    stubFunctionEnv(key, { APP_FEATURES__NEW_CHECKOUT: 'true' });
    const before = gets(key).length;
    const fn = await loadInProcess(task.file);
    expect(gets(key).length).toBe(before + 1);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(resultOf(await fn.invoke(order)));
    expect(gets(key).length).toBe(before + 1);
    expect(results[2]).toEqual({
      accepted: true,
      message: 'welcome back, Ada: 3 item(s) ordered',
      stage: 'production',
      checkout: 'new',
      database: 'orders.cluster-abc123.eu-west-1.rds.amazonaws.com:5432',
      maxItems: 100,
      configLoads: 1,
    });
  });

  it('serves an edited S3 layer after maxAge, and not before', async () => {
    const key = 'orders/edited.json5';
    await putObject(bucket, key, productionLayer);
    stubFunctionEnv(key, { CONFIG_MAX_AGE_MS: '60000' });
    // The clock the cache reads, moved by hand: a slow machine cannot make the test age the config.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const fn = await loadInProcess(task.file);
      await putObject(bucket, key, productionLayer.replace("'welcome back'", "'good to see you'"));
      vi.setSystemTime(Date.now() + 59_000);
      const early = resultOf(await fn.invoke(order));
      expect(early).toMatchObject({ message: 'welcome back, Ada: 3 item(s) ordered', configLoads: 1 });
      expect(gets(key)).toHaveLength(1);

      // The reload comes between maxAge and 1.1 x maxAge (drawn per environment): by 66 s.
      vi.setSystemTime(Date.now() + 7_000);
      const late = resultOf(await fn.invoke(order));
      expect(late).toMatchObject({ message: 'good to see you, Ada: 3 item(s) ordered', configLoads: 2 });
      expect(gets(key).map((r) => r.status)).toEqual([200, 200]);

      // Unchanged since: one conditional GET answered 304, and the very same config object.
      vi.setSystemTime(Date.now() + 66_000);
      expect(resultOf(await fn.invoke(order))).toMatchObject({ configLoads: 2 });
      expect(gets(key).map((r) => r.status)).toEqual([200, 200, 304]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('layers a config.local.json5 beside the bundle over the S3 layer off Lambda, and ignores it on Lambda', async () => {
    await task.write('config.local.json5', "{ features: { greeting: 'hello from my laptop' } }");
    try {
      vi.spyOn(console, 'warn').mockImplementation(() => {});
      stubFunctionEnv('orders/production.json5', { AWS_LAMBDA_FUNCTION_NAME: undefined });
      const laptop = await loadInProcess(task.file);
      expect(resultOf(await laptop.invoke(order)).message).toBe(
        'hello from my laptop, Ada: 3 item(s) ordered',
      );
      vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'orders');
      const lambda = await loadInProcess(task.file);
      expect(resultOf(await lambda.invoke(order)).message).toBe('welcome back, Ada: 3 item(s) ordered');
    } finally {
      await task.write('config.local.json5', '{}');
    }
  });
});

describe('the example function, without its S3 layer', () => {
  it('fails the init with OVERRIDE_MISSING, listing each $override doc', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    stubFunctionEnv('orders/missing.json5');
    const init = loadInProcess(task.file);
    await expect(init).rejects.toMatchObject({ name: 'ConfigError', code: 'OVERRIDE_MISSING' });
    const { message } = (await init.catch((err: unknown) => err)) as Error;
    expect(message).toContain('service.stage: the deployment stage: set service.stage in the S3 layer');
    expect(message).toContain('db.host: the database host: set db.host in the S3 layer of the stage');
    expect(message).not.toContain('db.password');
    expect(warn.mock.calls.map((call) => String(call[0]))).toContainEqual(
      expect.stringMatching(
        /SOURCE_DROPPED: dropped optional source s3:\/\/lambda-handler-in-process\/orders\/missing\.json5/,
      ),
    );
  });
});
