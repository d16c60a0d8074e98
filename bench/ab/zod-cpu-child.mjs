/** One process of bench/ab/run.mjs: `node bench/ab/zod-cpu-child.mjs DIR`, the build in STRATACONF_DIST. */
// As bench/cold/zod-child.mjs's strataconf variant, also reporting the CPU time of import + load.
import { pathToFileURL } from 'node:url';

const [dir] = process.argv.slice(2);
const { z } = await import('zod');
const schema = (await import(pathToFileURL(`${dir}/zod-schema.mjs`).href)).build(z);
const c0 = process.cpuUsage();
const t0 = performance.now();
const { loadConfig, fromFile, fromEnv } = await import(pathToFileURL(process.env.STRATACONF_DIST).href);
const files = ['default.json', 'production.json', 'local.json'].map((f) => fromFile(`${dir}/${f}`));
const config = await loadConfig({
  schema,
  sources: [...files, fromEnv({ prefix: 'APP_' })],
  logger: { warn() {} },
});
const t1 = performance.now();
const c1 = process.cpuUsage();
if (typeof config?.s000?.k1 !== 'number') throw new Error('not parsed');
process.stdout.write(
  `${JSON.stringify({ ownMs: t1 - t0, ownCpuMs: (c1.user - c0.user + c1.system - c0.system) / 1000 })}\n`,
);
