/**
 * One cold process that reads a config with an SSM layer: `node cold/ssm-layer-child.mjs VARIANT`,
 * with the AWS variables (credentials, region, AWS_ENDPOINT_URL_SSM) in the environment as on Lambda.
 * Prints one JSON line: `{ boot, workMs, ok }`; the parent also times spawn to exit (`wallMs`).
 *
 * - strataconf: fromSsm without a client (the light path: no AWS SDK module loaded).
 * - strataconf + SDK client: fromSsm given `new SSMClient({})`.
 * - SDK GetParametersByPathCommand: the SDK alone, every page, nested by hand; no strataconf.
 */
const boot = performance.now();
const variant = process.argv[2];
const base = { service: 'orders', db: { host: 'localhost', port: 5432 } };

async function strataconf(withClient) {
  const { STRATACONF } = await import('../lib/target.mjs');
  const { fromObject, fromSsm, loadConfig } = await import(STRATACONF);
  const opts = { optional: false };
  if (withClient) {
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    opts.client = new SSMClient({});
  }
  return loadConfig({ sources: [fromObject(base), fromSsm('/orders/prod/', opts)], overrides: 'ignore' });
}

async function sdk() {
  const { GetParametersByPathCommand, SSMClient } = await import('@aws-sdk/client-ssm');
  const client = new SSMClient({});
  const config = structuredClone(base);
  let NextToken;
  do {
    const input = { Path: '/orders/prod', Recursive: true, WithDecryption: true, MaxResults: 10, NextToken };
    const out = await client.send(new GetParametersByPathCommand(input));
    for (const p of out.Parameters ?? []) {
      const path = p.Name.slice('/orders/prod/'.length).split('/');
      let node = config;
      for (const k of path.slice(0, -1)) node = node[k] ??= {};
      node[path.at(-1)] = /^\d+$/.test(p.Value) ? Number(p.Value) : p.Value;
    }
    NextToken = out.NextToken;
  } while (NextToken);
  return config;
}

const variants = {
  strataconf: () => strataconf(false),
  'strataconf + SDK client': () => strataconf(true),
  'SDK GetParametersByPathCommand': sdk,
};

const t0 = performance.now();
const config = await variants[variant]();
const workMs = performance.now() - t0;
console.log(
  JSON.stringify({ boot, workMs, ok: config?.db?.host === 'from-ssm' && Number(config.db.port) === 5432 }),
);
