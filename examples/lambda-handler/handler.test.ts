/**
 * The example function, whole (its module-scope init included), against local stores instead of
 * mocks: its S3 layer and its database secret come from startLocalAws, read by the same requests
 * the function sends on Lambda (credentials in the environment, no AWS SDK).
 */
import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import { resetConfigCache } from 'strataconf';
import { type LocalAws, startLocalAws } from 'strataconf/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const LAYER = 'my-config/orders/production.json5';
let aws: LocalAws;
let production: string;

beforeAll(async () => {
  production = await readFile(new URL('./s3/production.json5', import.meta.url), 'utf8');
  aws = await startLocalAws({
    s3: { [LAYER]: production },
    secrets: { 'orders/production/db': { password: 'not-a-real-password' } },
  });
});
afterAll(() => aws.close());
beforeEach(() => {
  for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'orders');
  vi.stubEnv('CONFIG_S3_URI', `s3://${LAYER}`);
  vi.stubEnv('DB_SECRET_ID', 'orders/production/db');
  vi.stubEnv('CONFIG_MAX_AGE_MS', '60000');
  // A new execution environment per test: the module (and its init) is loaded again.
  vi.resetModules();
  resetConfigCache();
  aws.requests.length = 0;
});
afterEach(() =>
  aws.put({
    s3: { [LAYER]: production },
    secrets: { 'orders/production/db': { password: 'not-a-real-password' } },
  }),
);

const context = { getRemainingTimeInMillis: () => 3000 } as Context;
const order = { customer: 'Ada', items: 2 };

describe('the example function against local AWS stores', () => {
  it('takes an order with the S3 layer and the secret it read at init, then serves warm without I/O', async () => {
    const { handler } = await import('./handler.js');
    expect(await handler(order, context)).toMatchObject({
      accepted: true,
      message: 'welcome back, Ada: 2 item(s) ordered',
      stage: 'production',
      database: 'orders.cluster-abc123.eu-west-1.rds.amazonaws.com:5432',
      configLoads: 1,
    });
    const init = aws.requests.map((r) => `${r.service} ${r.operation} ${r.resource} ${r.status}`).sort();
    expect(init).toEqual([`s3 GetObject ${LAYER} 200`, 'secrets GetSecretValue orders/production/db 200']);
    await handler(order, context);
    expect(aws.requests).toHaveLength(2);
  });

  it('serves an edit of the S3 layer after maxAge', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { handler } = await import('./handler.js');
      aws.put({ s3: { [LAYER]: production.replace("'welcome back'", "'good to see you'") } });
      expect((await handler(order, context)).message).toMatch(/^welcome back/);
      // maxAge is 60 s; each environment reloads at a moment drawn before 1.1 x maxAge.
      vi.setSystemTime(Date.now() + 66_000);
      expect(await handler(order, context)).toMatchObject({
        message: expect.stringMatching(/^good to see you/),
        configLoads: 2,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs in again after the database password was rotated, reading only the secret again, once', async () => {
    const { handler } = await import('./handler.js');
    const { database } = await import('./db.js');
    await handler(order, context);
    // Secrets Manager's rotation: a new secret value, and the database takes only the new password.
    aws.put({ secrets: { 'orders/production/db': { password: 'rotated-password' } } });
    database.rotate('rotated-password');
    aws.requests.length = 0;
    const loginsBefore = database.logins;
    // Warm, within maxAge: the handler's login fails with the old password, it refreshes the
    // secret's layer and logs in again.
    expect(await handler(order, context)).toMatchObject({ accepted: true, configLoads: 2 });
    expect(database.logins - loginsBefore).toBe(2);
    expect(aws.requests.map((r) => `${r.service} ${r.operation} ${r.resource}`)).toEqual([
      'secrets GetSecretValue orders/production/db',
    ]);
    // The next invocation logs in at once with the refreshed password, and sends nothing.
    aws.requests.length = 0;
    expect(await handler(order, context)).toMatchObject({ accepted: true, configLoads: 2 });
    expect(database.logins - loginsBefore).toBe(3);
    expect(aws.requests).toEqual([]);
  });

  it('fails its init, naming what is missing, when the database secret cannot be read', async () => {
    aws.fail('secrets', { code: 'AccessDeniedException', times: Number.POSITIVE_INFINITY });
    try {
      await expect(import('./handler.js')).rejects.toMatchObject({
        code: 'SOURCE_UNAVAILABLE',
        message: expect.stringContaining('secret:orders/production/db is unavailable: access denied'),
      });
    } finally {
      aws.clearFaults();
    }
  });
});
