/**
 * One cold process that reads a config with an AppConfig layer: `node cold/appconfig-layer-child.mjs
 * VARIANT`, with the AWS variables in the environment as on Lambda. Prints one JSON line:
 * `{ boot, workMs, reloadUs, ok }`; the parent also times spawn to exit (`wallMs`). `reloadUs` is the
 * median cost of a reload that finds the configuration unchanged (maxAge 0, 20 reloads), for the
 * strataconf variants.
 *
 * - strataconf, extension: fromAppConfig with AWS_APPCONFIG_EXTENSION_HTTP_PORT pointing at the agent.
 * - strataconf, API: fromAppConfig without a client, no extension (signed requests, no AWS SDK).
 * - strataconf + SDK client: fromAppConfig given `new AppConfigDataClient({})`.
 * - SDK alone: StartConfigurationSession + GetLatestConfiguration + JSON.parse + a hand merge.
 */
const boot = performance.now();
const variant = process.argv[2];
const base = { service: 'orders', db: { host: 'localhost', port: 1 } };
const TARGET = {
  ApplicationIdentifier: 'orders',
  EnvironmentIdentifier: 'prod',
  ConfigurationProfileIdentifier: 'settings',
};

async function strataconf(withClient) {
  const { STRATACONF } = await import('../lib/target.mjs');
  const { fromAppConfig, fromObject, defineConfig } = await import(STRATACONF);
  const opts = { optional: false };
  if (withClient) {
    const { AppConfigDataClient } = await import('@aws-sdk/client-appconfigdata');
    opts.client = new AppConfigDataClient({});
  }
  const definition = defineConfig({
    sources: [fromObject(base), fromAppConfig('orders/prod/settings', opts)],
    overrides: 'ignore',
    maxAge: 0,
  });
  const config = await definition.load();
  return { config, definition };
}

async function sdk() {
  const { AppConfigDataClient, GetLatestConfigurationCommand, StartConfigurationSessionCommand } =
    await import('@aws-sdk/client-appconfigdata');
  const client = new AppConfigDataClient({});
  const session = await client.send(new StartConfigurationSessionCommand(TARGET));
  const out = await client.send(
    new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken }),
  );
  const layer = JSON.parse(Buffer.from(out.Configuration).toString('utf8'));
  return { config: { ...base, ...layer, db: { ...base.db, ...layer.db } } };
}

const variants = {
  'strataconf, extension': () => strataconf(false),
  'strataconf, API': () => strataconf(false),
  'strataconf + SDK client': () => strataconf(true),
  'SDK alone': sdk,
};

const t0 = performance.now();
const { config, definition } = await variants[variant]();
const workMs = performance.now() - t0;
let reloadUs;
if (definition) {
  const times = [];
  for (let i = 0; i < 20; i++) {
    const r0 = performance.now();
    const again = await definition.load();
    times.push((performance.now() - r0) * 1000);
    if (again !== config) throw new Error('an unchanged reload returned a new config');
  }
  reloadUs = times.sort((a, b) => a - b)[10];
}
console.log(JSON.stringify({ boot, workMs, reloadUs, ok: config?.db?.host === 'from-appconfig' }));
