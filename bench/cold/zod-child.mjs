/**
 * A cold load with a zod schema (one check per leaf) in a fresh process:
 * `node cold/zod-child.mjs LOADER DIR [jitless]`. Reports zod's own shares apart: importing zod,
 * building the schema, and the first `safeParse` (timed by wrapping the schema's own method).
 */
const boot = performance.now();
const [name, dir, jitless] = process.argv.slice(2);

async function main() {
  const { readFileSync } = await import('node:fs');
  const { pathToFileURL } = await import('node:url');
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));
  const t0 = performance.now();
  const { z } = await import('zod');
  if (jitless === 'jitless') z.config({ jitless: true });
  const t1 = performance.now();
  const schema = (await import(pathToFileURL(`${dir}/zod-schema.mjs`).href)).build(z);
  const t2 = performance.now();
  let parseMs = 0;
  const safeParse = schema.safeParse;
  schema.safeParse = (value, params) => {
    const p0 = performance.now();
    const result = safeParse.call(schema, value, params);
    parseMs += performance.now() - p0;
    return result;
  };
  // strataconf parses with safeParseAsync (an async refine must not be started by a sync attempt).
  const safeParseAsync = schema.safeParseAsync;
  schema.safeParseAsync = async (value, params) => {
    const p0 = performance.now();
    const result = await safeParseAsync.call(schema, value, params);
    parseMs += performance.now() - p0;
    return result;
  };
  const config = await run(name, dir, manifest, schema);
  const t3 = performance.now();
  if (typeof config?.s000?.k1 !== 'number') throw new Error('the config did not come back parsed');
  const zodMs = t1 - t0 + (t2 - t1) + parseMs;
  return { boot, zodImportMs: t1 - t0, schemaMs: t2 - t1, parseMs, workMs: t3 - t0, ownMs: t3 - t0 - zodMs };
}

async function run(loader, dir, manifest, schema) {
  const { loaders } = await import('../lib/loaders.mjs');
  if (loader === 'floor') return schema.safeParse(await (await loaders.floor(dir, manifest))()).data;
  if (loader === 'strataconf') {
    const { loadConfig, fromFile, fromEnv } = await import((await import('../lib/target.mjs')).STRATACONF);
    const files = ['default.json', 'production.json', 'local.json'].map((f) => fromFile(`${dir}/${f}`));
    return loadConfig({ schema, sources: [...files, fromEnv({ prefix: 'APP_' })], logger: { warn() {} } });
  }
  if (loader === 'zod-config') {
    // zod-config parses through zod/v4/core's safeParseAsync, not the schema's method: its parse
    // share stays inside its own figure (parseMs reads 0).
    const [{ loadConfig }, { jsonAdapter }, { envAdapter }] = await Promise.all([
      import('zod-config'),
      import('zod-config/json-adapter'),
      import('zod-config/env-adapter'),
    ]);
    const files = ['default.json', 'production.json', 'local.json'].map((f) =>
      jsonAdapter({ path: `${dir}/${f}` }),
    );
    const transform = ({ key, value }) => ({ key: key.slice(4).toLowerCase(), value });
    return loadConfig({
      schema,
      adapters: [...files, envAdapter({ regex: /^APP_/, nestingSeparator: '__', transform })],
    });
  }
  throw new Error(`no zod variant for ${loader}`);
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err) => {
    process.stdout.write(`${JSON.stringify({ error: String(err?.stack ?? err) })}\n`);
    process.exitCode = 1;
  },
);
