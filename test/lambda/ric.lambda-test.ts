import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { putObject, requestsFor, s3Env, seedObjects } from '../setup/s3.js';
import { type Environment, startEnvironment } from './environment.js';
import type { Invocation } from './runtime-api.js';
import { buildTaskRoot, type TaskRoot } from './task-root.js';

// The example function as Lambda runs it: the bundle in a task root, the real runtime interface
// client (aws-lambda-ric) polling a Runtime API, one process per execution environment.

const bucket = 'lambda-handler-ric';
const productionLayer = await readFile(
  new URL('../../examples/lambda-handler/s3/production.json5', import.meta.url),
  'utf8',
);
const order = { customer: 'Grace', items: 2 };
let task: TaskRoot;
const running: Environment[] = [];

beforeAll(async () => {
  task = await buildTaskRoot({ minify: true });
  await seedObjects(bucket, { 'orders/production.json5': productionLayer });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((env) => env.stop()));
});
afterAll(() => task?.remove());

/** An execution environment of the function reading `key`; an `undefined` in `extra` unsets a variable. */
async function environment(
  key: string,
  extra: Record<string, string | undefined> = {},
): Promise<Environment> {
  const variables = {
    ...s3Env(),
    CONFIG_S3_URI: `s3://${bucket}/${key}`,
    APP_DB__PASSWORD: 'test-password-not-a-secret',
    ...extra,
  };
  const defined = Object.entries(variables).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  const env = await startEnvironment({ taskRoot: task.dir, env: Object.fromEntries(defined) });
  running.push(env);
  return env;
}

function resultOf(invocation: Invocation): Record<string, unknown> {
  if (!invocation.outcome.ok)
    throw new Error(`the invocation failed: ${invocation.outcome.error.errorMessage}`);
  return invocation.outcome.result as Record<string, unknown>;
}

const gets = (key: string) => requestsFor(bucket, key).filter((r) => r.method === 'GET');

describe('the example function under aws-lambda-ric', () => {
  it('answers cold, then warm without a single S3 request', async () => {
    const key = 'orders/production.json5';
    const before = gets(key).length;
    const env = await environment(key);
    const cold = await env.invoke(order);
    expect(resultOf(cold)).toMatchObject({
      stage: 'production',
      message: 'welcome back, Grace: 2 item(s) ordered',
    });
    expect(gets(key).length).toBe(before + 1);
    for (let i = 0; i < 5; i++) expect(resultOf(await env.invoke(order))).toMatchObject({ configLoads: 1 });
    expect(gets(key).length).toBe(before + 1);
    expect(env.logs()).not.toContain('strataconf');
  });

  it('picks up an edited S3 object after maxAge, in the same environment', async () => {
    const key = 'orders/edited.json5';
    await putObject(bucket, key, productionLayer);
    // Long enough that a slow machine cannot age the config before the second invocation.
    const env = await environment(key, { CONFIG_MAX_AGE_MS: '2000' });
    expect(resultOf(await env.invoke(order)).message).toBe('welcome back, Grace: 2 item(s) ordered');
    await putObject(bucket, key, productionLayer.replace("'welcome back'", "'nice to see you'"));
    expect(resultOf(await env.invoke(order)).message).toBe('welcome back, Grace: 2 item(s) ordered');
    // Past 1.1 x maxAge: each environment reloads at a moment drawn between maxAge and 1.1 x maxAge.
    await new Promise((resolve) => setTimeout(resolve, 2300));
    expect(resultOf(await env.invoke(order))).toMatchObject({
      message: 'nice to see you, Grace: 2 item(s) ordered',
      configLoads: 2,
    });
    expect(gets(key)).toHaveLength(2);
  });

  it('reports a failed init as Lambda does when a required value is missing, with its $override doc', async () => {
    const env = await environment('orders/not-uploaded.json5');
    const error = await env.initError;
    expect(error.errorType).toBe('ConfigError');
    // The first line names the dropped S3 layer: on Lambda, errorMessage is often all that is seen.
    expect(error.errorMessage.split('\n')[0]).toBe(
      '2 values marked $override were not set by a later layer (dropped optional sources: s3://lambda-handler-ric/orders/not-uploaded.json5: object not found (NoSuchKey)):',
    );
    expect(error.errorMessage).toContain(
      'service.stage: the deployment stage: set service.stage in the S3 layer',
    );
    expect(error.errorMessage).toContain(
      'db.host: the database host: set db.host in the S3 layer of the stage',
    );
    expect(await env.exited).not.toBe(0);
    expect(env.logs()).toContain(
      'SOURCE_DROPPED: dropped optional source s3://lambda-handler-ric/orders/not-uploaded.json5',
    );
  });

  it('fails the init when the password variable is missing, naming the variable to set', async () => {
    const env = await environment('orders/production.json5', { APP_DB__PASSWORD: undefined });
    const error = await env.initError;
    expect(error.errorType).toBe('ConfigError');
    expect(error.errorMessage).toContain(
      'db.password: the database password: set the APP_DB__PASSWORD environment variable',
    );
  });
});
