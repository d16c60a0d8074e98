import { fromEnv } from 'strataconf';
import { captureWarnings, fixtureLayers, loadFresh, withOverrides } from 'strataconf/testing';
import { describe, expect, it } from 'vitest';
import { takeOrder } from '../lambda-handler/app.js';
import { schema } from '../lambda-handler/schema.js';

// Unit tests of the example function's logic, with its real layers: config.json5 as bundled, the
// production layer as uploaded to S3 (read from its file here), and env variables from an object.
// No S3, no Lambda: the handler's logic is a function of the event and the config.

const handlerDir = new URL('../lambda-handler/', import.meta.url);
const s3Layers = new URL('../lambda-handler/s3/', import.meta.url);
const fixtures = new URL('./fixtures/', import.meta.url);
const env = fromEnv({ prefix: 'APP_', env: { APP_DB__PASSWORD: 'not-a-real-password' } });

/** The function's layers, with the stage's S3 layer taken from `dir`. */
const layers = (dir: URL, ...stage: string[]) => [
  ...fixtureLayers(handlerDir, 'config'),
  ...fixtureLayers(dir, ...stage),
  env,
];

const production = () => loadFresh({ schema, sources: layers(s3Layers, 'production') });
const order = { customer: 'Ada', items: 3 };

describe('the production layer', () => {
  it('sets every $override of config.json5, without an unexpected override', async () => {
    const { config, warnings } = await production();
    expect(config.service.stage).toBe('production');
    expect(warnings).toEqual([]);
  });
});

describe('takeOrder', () => {
  it('accepts an order within the limit, with the greeting of the stage', async () => {
    const { config } = await production();
    expect(takeOrder(order, config)).toEqual({
      accepted: true,
      message: 'welcome back, Ada: 3 item(s) ordered',
      stage: 'production',
      checkout: 'classic',
      database: 'orders.cluster-abc123.eu-west-1.rds.amazonaws.com:5432',
      maxItems: 100,
    });
  });

  it('refuses an order above limits.maxItems', async () => {
    const { config } = await production();
    const small = await withOverrides(config, { limits: { maxItems: 2 } });
    expect(takeOrder(order, small)).toMatchObject({
      accepted: false,
      message: 'Ada: an order holds 1 to 2 items',
    });
    expect(takeOrder(order, config).accepted).toBe(true);
  });

  it('uses the new checkout when the feature flag is on', async () => {
    const { config } = await production();
    expect(takeOrder(order, await withOverrides(config, { features: { newCheckout: true } })).checkout).toBe(
      'new',
    );
  });
});

describe('the layers of other stages', () => {
  it('warn when a layer changes limits.maxItems, which config.json5 does not mark replaceable', async () => {
    const { config, warnings } = await loadFresh({
      schema,
      sources: [...layers(s3Layers, 'production'), ...fixtureLayers(fixtures, 'bigger-orders')],
    });
    expect(config.limits.maxItems).toBe(500);
    expect(warnings.map((w) => [w.code, w.details.path])).toEqual([
      ['UNEXPECTED_OVERRIDE', ['limits', 'maxItems']],
    ]);
  });

  it('fail with the doc of each $override a stage layer forgot, after warning of what it changed', async () => {
    const logger = captureWarnings();
    const load = loadFresh({ schema, sources: layers(fixtures, 'staging'), logger });
    await expect(load).rejects.toMatchObject({
      code: 'OVERRIDE_MISSING',
      message: expect.stringContaining(
        'db.host: the database host: set db.host in the S3 layer of the stage',
      ),
    });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'limits.maxItems from config.json5 was overridden by staging.json5',
    ]);
  });
});
