import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineConfig,
  explainConfig,
  fromObject,
  redact,
  resetConfigCache,
  type Source,
} from '../src/index.js';
import { DEFERRED, type DeferredLayer, markSecret, type SecretMark } from '../src/layer-meta.js';
import { captureWarnings } from '../src/testing.js';
import { expectNoSecrets } from './hardening/leaks.js';

afterEach(() => resetConfigCache());

// One planted secret per way a value can be secret, each under a key name that is not secret itself
// (except BY_KEY): the schema, a key name, a source's marked paths, a source's whole layer, and a
// deferred layer's marked paths.
const BY_SCHEMA = 'schema-secret-PLANTED-1a';
const BY_KEY = 'key-secret-PLANTED-2b';
const BY_PATH = 'ssm-secure-PLANTED-3c';
const BY_LAYER = 'secret-layer-PLANTED-4d';
const BY_DEFERRED = 'deferred-PLANTED-5e';
const SECRETS = [BY_SCHEMA, BY_KEY, BY_PATH, BY_LAYER, BY_DEFERRED];

/** A source whose layer it marks secret, as SecureString parameters and secrets are. */
function markedSource(name: string, layer: object, mark: SecretMark): Source {
  return {
    name,
    load: async () => {
      const copy = structuredClone(layer);
      markSecret(copy, mark);
      return copy;
    },
  };
}

/** A deferred layer (resolved at merge time, as env is) whose resolved object is marked. */
function deferredSource(name: string, layer: object, mark: SecretMark): Source {
  const deferred: DeferredLayer = {
    [DEFERRED]: true,
    resolve: async () => {
      const copy = structuredClone(layer);
      markSecret(copy, mark);
      return copy;
    },
  };
  return { name, load: async () => deferred };
}

const schema = z.object({
  db: z.object({ host: z.string(), dsn: z.string().meta({ secret: true }) }),
  stripe: z.object({ apiKey: z.string(), account: z.string() }),
  vendor: z.object({ endpoint: z.string(), pin: z.string() }),
  webhook: z.object({ url: z.string() }),
  queue: z.object({ name: z.string(), sas: z.string() }),
  servers: z.array(z.object({ name: z.string() })),
});

function definition() {
  return defineConfig({
    schema,
    sources: [
      fromObject({
        db: { host: 'db.internal', dsn: BY_SCHEMA },
        stripe: { apiKey: BY_KEY, account: 'acct_1' },
        queue: { name: 'jobs' },
        servers: [{ name: 'a' }],
      }),
      markedSource('ssm:/orders/', { vendor: { endpoint: 'https://vendor', pin: BY_PATH } }, [
        ['vendor', 'pin'],
      ]),
      markedSource('secret:webhook', { webhook: { url: BY_LAYER } }, true),
      deferredSource('deferred', { queue: { sas: BY_DEFERRED } }, [['queue', 'sas']]),
    ],
  });
}

/** What `console.log(...args)` writes, through a real Console. */
function consoleLog(...args: unknown[]): string {
  let out = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  new Console({ stdout: stream }).log(...args);
  return out;
}

describe('util.inspect and console.log of a loaded config', () => {
  it('show every secret leaf as [redacted], at any depth and for any object inside', async () => {
    const config = await definition().load();
    const shown = [
      inspect(config, { depth: Number.POSITIVE_INFINITY }),
      inspect(config, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      inspect(config.db),
      inspect(config.vendor),
      inspect(config.webhook),
      inspect(config.queue),
      inspect({ wrapped: { config } }, { depth: Number.POSITIVE_INFINITY }),
      consoleLog('config loaded', config),
      consoleLog('%o', config),
      consoleLog(config.stripe, config.webhook),
    ].join('\n');
    expectNoSecrets(shown, SECRETS);
    expect(inspect(config.db)).toBe("{ host: 'db.internal', dsn: '[redacted]' }");
    expect(consoleLog('config loaded', config)).toContain("url: '[redacted]'");
  });

  it('still hands the code the real values', async () => {
    const config = await definition().load();
    expect([
      config.db.dsn,
      config.stripe.apiKey,
      config.vendor.pin,
      config.webhook.url,
      config.queue.sas,
    ]).toEqual(SECRETS);
    expect(config.vendor.endpoint).toBe('https://vendor');
  });

  it('leaves the config plain, deep-frozen, with the same keys, and the same object on a warm call', async () => {
    const def = definition();
    const config = await def.load();
    expect(await def.load()).toBe(config);
    for (const value of [config, config.db, config.vendor, config.webhook, config.servers]) {
      expect(Object.isFrozen(value)).toBe(true);
      expect([Object.prototype, Array.prototype]).toContain(Object.getPrototypeOf(value));
    }
    expect(Object.keys(config.db)).toEqual(['host', 'dsn']);
    expect({ ...config.db }).toEqual({ host: 'db.internal', dsn: BY_SCHEMA });
  });

  it('does not change JSON.stringify: serializing a config on purpose keeps its values', async () => {
    const config = await definition().load();
    const json = JSON.stringify(config);
    for (const secret of SECRETS) expect(json).toContain(secret);
  });
});

describe('provenance decides a source-marked secret', () => {
  it('a marked value replaced by a later, unmarked layer is no longer secret, and the other way round', async () => {
    const config = await defineConfig({
      logger: captureWarnings(),
      sources: [
        markedSource('ssm:/a/', { vendor: { pin: BY_PATH, region: 'eu-west-1' } }, true),
        fromObject({ vendor: { pin: '0000' }, host: 'h' }, { name: 'local' }),
        markedSource('ssm:/b/', { host: 'secret-host-PLANTED' }, [['host']]),
      ],
    }).load();
    expect(redact(config)).toEqual({
      vendor: { pin: '0000', region: '[redacted]' },
      host: '[redacted]',
    });
  });
});

describe('redact', () => {
  it('returns a plain, unfrozen copy with every secret replaced, of a config or any object in it', async () => {
    const config = await definition().load();
    const copy = redact(config);
    expect(copy).toEqual({
      db: { host: 'db.internal', dsn: '[redacted]' },
      stripe: { apiKey: '[redacted]', account: 'acct_1' },
      vendor: { endpoint: 'https://vendor', pin: '[redacted]' },
      webhook: { url: '[redacted]' },
      queue: { name: 'jobs', sas: '[redacted]' },
      servers: [{ name: 'a' }],
    });
    expect(Object.isFrozen(copy)).toBe(false);
    expect(Object.isFrozen(copy.servers)).toBe(false);
    expect(copy.servers).not.toBe(config.servers);
    expect(redact(config.vendor)).toEqual({ endpoint: 'https://vendor', pin: '[redacted]' });
    expect(redact({ requestId: 'r1', config })).toMatchObject({ config: copy });
  });

  it('redacts an object no load returned by its key names', () => {
    expect(redact({ user: 'u', dbPassword: 'p', nested: [{ refreshToken: 't' }] })).toEqual({
      user: 'u',
      dbPassword: '[redacted]',
      nested: [{ refreshToken: '[redacted]' }],
    });
  });

  it('replaces a whole value under a secret key, and redacts inside it when given that value', async () => {
    const config = await defineConfig({
      schema: z.object({
        credentials: z.object({ user: z.string(), inner: z.object({ pass: z.string() }) }),
      }),
      sources: [fromObject({ credentials: { user: 'svc', inner: { pass: 'p-PLANTED' } } })],
    }).load();
    expect(redact(config)).toEqual({ credentials: '[redacted]' });
    expect(redact(config.credentials)).toEqual({ user: '[redacted]', inner: '[redacted]' });
    expect(inspect(config.credentials.inner)).toBe("{ pass: '[redacted]' }");
  });

  it('walks a schema transform that returns a cyclic object once', async () => {
    const cyclic = z
      .object({ password: z.string() })
      .transform((value) => ({ ...value, self: {} as object }));
    const config = await defineConfig({
      schema: cyclic.transform((value) => Object.assign(value, { self: value })),
      sources: [fromObject({ password: 'pw-PLANTED' })],
    }).load();
    expect(config.password).toBe('pw-PLANTED');
    expect(redact(config)).toEqual({ password: '[redacted]', self: '[Circular]' });
    expect(inspect(config)).not.toContain('pw-PLANTED');
  });

  it('keeps a Powertools Logger item and a pino line free of secrets', async () => {
    const config = await definition().load();
    // What @aws-lambda-powertools/logger writes: one JSON object, the extra keys merged in.
    const powertools = JSON.stringify({
      level: 'INFO',
      message: 'config loaded',
      timestamp: '2026-01-01T00:00:00.000Z',
      service: 'orders',
      config: redact(config),
    });
    // What pino writes for logger.info({ config }, 'config loaded').
    const pino = `${JSON.stringify({ level: 30, time: 0, pid: 1, hostname: 'h', config: redact(config), msg: 'config loaded' })}\n`;
    expectNoSecrets(`${powertools}\n${pino}`, SECRETS);
    expect(JSON.parse(powertools).config.db.host).toBe('db.internal');
  });
});

describe('explainConfig and secrets', () => {
  it('redacts the rows of secret leaves unless showSecrets is set', async () => {
    const config = await definition().load();
    const rows = explainConfig(config);
    expectNoSecrets(JSON.stringify(rows) + inspect(rows, { depth: Number.POSITIVE_INFINITY }), SECRETS);
    expect(rows.find((r) => r.path.join('.') === 'vendor.pin')).toEqual({
      path: ['vendor', 'pin'],
      value: '[redacted]',
      source: 'ssm:/orders/',
      overridden: [],
    });
    const shown = explainConfig(config, { showSecrets: true });
    expect(shown.find((r) => r.path.join('.') === 'vendor.pin')?.value).toBe(BY_PATH);
    expect(shown.map((r) => r.value)).toEqual(expect.arrayContaining(SECRETS));
  });

  it('redacts secrets inside an array row, and leaves other arrays as they are', async () => {
    const config = await defineConfig({
      sources: [fromObject({ users: [{ name: 'a', password: 'pw-PLANTED' }], tags: ['x'] })],
    }).load();
    const rows = explainConfig(config);
    expect(rows.map((r) => r.value)).toEqual([[{ name: 'a', password: '[redacted]' }], ['x']]);
    expect(rows[1]?.value).toBe(config.tags);
  });
});

describe('zod/mini schemas', () => {
  it.each([
    [
      '.check(z.meta({ secret: true }))',
      (m: typeof import('zod/mini')) => m.string().check(m.meta({ secret: true })),
    ],
    [
      '.register(z.globalRegistry, { secret: true })',
      (m: typeof import('zod/mini')) => m.string().register(m.globalRegistry, { secret: true }),
    ],
  ])('mark a value secret with %s, which logs and redact() hide', async (_how, secret) => {
    const mini = await import('zod/mini');
    const schema = mini.object({ signingSeed: secret(mini), region: mini.string() });
    const definition = defineConfig({
      schema,
      sources: [fromObject({ signingSeed: 'mini-seed-PLANTED-6f', region: 'eu' })],
    });
    const config = await definition.load();
    expect(config.signingSeed).toBe('mini-seed-PLANTED-6f');
    expectNoSecrets(inspect(config, { depth: null }), ['mini-seed-PLANTED-6f']);
    expect(redact(config)).toEqual({ signingSeed: '[redacted]', region: 'eu' });
  });
});

describe('secret names ending in a Key word, and URL passwords', () => {
  const PASSWORD = 'pg-pass-PLANTED-6f';
  const STRIPE = 'sk_live_PLANTED-7a';
  const layer = () =>
    fromObject({
      stripeKey: STRIPE,
      webhook: { signing_key: 'whsec-PLANTED-8b', keyPrefix: 'orders-' },
      databaseUrl: `postgres://orders:${PASSWORD}@db/orders`,
      replica: { dsn: `postgres://ro:${PASSWORD}@replica/orders`, host: 'replica' },
      sentryDsn: 'https://public@o1.ingest.sentry.io/2',
    });
  const planted = [PASSWORD, STRIPE, 'whsec-PLANTED-8b'];

  it('shows them redacted in util.inspect, with the rest of each URL readable', async () => {
    const config = await defineConfig({ sources: [layer()] }).load();
    const shown = [
      inspect(config, { depth: Number.POSITIVE_INFINITY }),
      consoleLog(config),
      inspect(config.replica),
    ];
    expectNoSecrets(shown.join('\n'), planted);
    expect(inspect(config.replica)).toBe(
      "{ dsn: 'postgres://ro:[redacted]@replica/orders', host: 'replica' }",
    );
    expect(config.databaseUrl).toBe(`postgres://orders:${PASSWORD}@db/orders`);
  });

  it('redacts them in redact() and in explainConfig rows', async () => {
    const config = await defineConfig({ sources: [layer()] }).load();
    expect(redact(config)).toEqual({
      stripeKey: '[redacted]',
      webhook: { signing_key: '[redacted]', keyPrefix: 'orders-' },
      databaseUrl: 'postgres://orders:[redacted]@db/orders',
      replica: { dsn: 'postgres://ro:[redacted]@replica/orders', host: 'replica' },
      sentryDsn: 'https://public@o1.ingest.sentry.io/2',
    });
    const rows = explainConfig(config);
    expectNoSecrets(JSON.stringify(rows), planted);
    expect(rows.find((r) => r.path.join('.') === 'databaseUrl')?.value).toBe(
      'postgres://orders:[redacted]@db/orders',
    );
  });
});
