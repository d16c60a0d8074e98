#!/usr/bin/env node
// npm run demo [-- --runs N] [-- --in-process]: the example function (examples/lambda-handler) run
// as Lambda runs it. Bundles it, starts a local S3 server (s3rver on 127.0.0.1) holding the
// production layer, invokes the function cold and warm, edits the S3 object, shows a failed init,
// and prints the effective config with the CLI's --explain. Under aws-lambda-ric when
// `npm run test:lambda` has built it, else in this process. `--runs N` repeats cold + warm in N
// new environments and prints the medians.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import { harness } from './demo/environments.mjs';
import { explain } from './demo/explain.mjs';
import { startS3 } from './demo/s3.mjs';
import { bundle } from './lambda-handler/build.mjs';

// The AWS SDK warns once per process on Node < 22 (it will require Node 22 from 2027): not the topic here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const repo = fileURLToPath(new URL('..', import.meta.url));
const bucket = 'strataconf-demo';
const key = 'orders/production.json5';
const dbSecret = 'orders/production/db';
const layerFile = join(repo, 'examples/lambda-handler/s3/production.json5');
const maxAgeMs = 2000;
const order = { customer: 'Ada', items: 3 };
const options = { runs: { type: 'string', default: '1' }, 'in-process': { type: 'boolean', default: false } };
const { values: args } = parseArgs({ options });
const runs = Math.max(1, Number.parseInt(args.runs, 10) || 1);

const ms = (n) => `${n.toFixed(1).padStart(7)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const sleep = (n) => new Promise((resolve) => setTimeout(resolve, n));

/** One line per invocation: what the function answered and how many S3 GETs it made. */
function seen(invocation, gets) {
  if (!invocation.outcome.ok)
    return `${invocation.outcome.error.errorType}: ${invocation.outcome.error.errorMessage}`;
  const r = invocation.outcome.result;
  const requests = (gets.length === 0 ? 'none' : gets.join(',')).padEnd(4);
  return `S3 GET: ${requests} | ${r.message} | ${r.stage}, ${r.checkout} checkout, config loads: ${r.configLoads}`;
}

/** Cold, warm, an edit of the S3 layer within maxAge and after it, in one environment. */
async function coldAndWarm(functions, task, s3, env) {
  const fn = await functions.start(task, env, order);
  if (fn.initError) throw new Error(`init failed: ${fn.initError.errorMessage}`);
  const split = `= init ${fn.initMs.toFixed(0)} + ${fn.cold.durationMs.toFixed(0)}`.padEnd(20);
  console.log(`   #1 cold ${ms(fn.coldMs)} ${split}${seen(fn.cold, s3.gets.splice(0))}`);
  const warm = async (n) => {
    const invocation = await fn.invoke(order);
    console.log(
      `   #${n} warm ${ms(invocation.durationMs)} ${''.padEnd(20)}${seen(invocation, s3.gets.splice(0))}`,
    );
  };
  await warm(2);
  await warm(3);
  const layer = await readFile(layerFile, 'utf8');
  await s3.put(layer.replace("'welcome back'", "'good to see you'"));
  console.log(`   -- s3://${bucket}/${key} edited: greeting 'welcome back' -> 'good to see you'`);
  await warm(4);
  // Each environment reloads at a moment drawn between maxAge and 1.1 x maxAge (so a fleet that
  // started together does not reload together): wait past the latest.
  const reloadBy = Math.ceil(maxAgeMs * 1.1);
  console.log(
    `   -- ${reloadBy} ms later (past CONFIG_MAX_AGE_MS, the function's maxAge, and its 10 % spread):`,
  );
  await sleep(reloadBy + 50);
  await warm(5);
  await warm(6);
  await fn.stop();
  await s3.put(layer);
}

/** Cold and warm durations over `runs` new environments of the function in `task`. */
async function measure(functions, task, env) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < runs; i++) {
    const fn = await functions.start(task, env, order);
    cold.push(fn.coldMs);
    for (let j = 0; j < 5; j++) warm.push((await fn.invoke(order)).durationMs);
    await fn.stop();
  }
  return { cold: median(cold), warm: median(warm), count: warm.length };
}

/** `--runs N`: the medians, and those of a handler that does nothing, for the runtime's own share. */
async function medians(functions, task, s3, env) {
  const it = await measure(functions, task, env);
  s3.gets.length = 0;
  console.log(
    `   ${runs} environments: cold median ${ms(it.cold)}, warm median ${ms(it.warm)} (of ${it.count})`,
  );
  const empty = {
    dir: join(repo, '.tmp', 'demo-empty'),
    file: join(repo, '.tmp', 'demo-empty', 'index.mjs'),
  };
  await mkdir(empty.dir, { recursive: true });
  await writeFile(empty.file, 'export const handler = async () => ({});\n');
  const baseline = await measure(functions, empty, env);
  console.log(
    `   an empty handler, for comparison: cold median ${ms(baseline.cold)}, warm median ${ms(baseline.warm)}`,
  );
}

async function initError(functions, task, env) {
  const missing = `s3://${bucket}/orders/staging.json5`;
  const reporter = functions.ric
    ? 'aws-lambda-ric posts the init error to the Runtime API, as on Lambda'
    : 'importing the function fails (on Lambda, an init error)';
  console.log(`4. a new environment whose S3 layer is missing (${missing}): ${reporter}`);
  const failed = await functions.start(task, { ...env, CONFIG_S3_URI: missing }, order);
  // What the function logged (CloudWatch Logs on Lambda): strataconf's warnings.
  for (const line of failed.logs ?? []) console.log(`   log: ${line}`);
  const { errorType, errorMessage } = failed.initError ?? {
    errorType: '-',
    errorMessage: 'the init did not fail',
  };
  console.log(`   ${JSON.stringify({ errorType, errorMessage }, null, 2).replaceAll('\n', '\n   ')}`);
}

async function main() {
  const dir = join(repo, '.tmp', 'demo');
  const task = { dir, ...(await bundle({ outdir: dir, minify: true })) };
  const size = `${(task.bytes / 1024).toFixed(1)} KiB minified`;
  console.log(
    `1. bundled examples/lambda-handler -> .tmp/demo/index.mjs (${size}, no @aws-sdk) + config.json5`,
  );
  const s3 = await startS3({ bucket, key });
  // A local Secrets Manager holding the database password: startLocalAws from strataconf/testing,
  // signatures checked, accepting the credentials the function has (s3rver's).
  const { startLocalAws } = await tsImport('../src/testing.ts', import.meta.url);
  const secrets = await startLocalAws(
    { secrets: { [dbSecret]: { password: 'demo-password' } } },
    {
      credentials: { accessKeyId: s3.env.AWS_ACCESS_KEY_ID, secretAccessKey: s3.env.AWS_SECRET_ACCESS_KEY },
    },
  );
  try {
    await s3.put(await readFile(layerFile));
    console.log(`2. s3rver on ${s3.endpoint}: uploaded the production layer as s3://${bucket}/${key}`);
    const functions = await harness({ inProcess: args['in-process'] });
    console.log(
      functions.ric
        ? '3. the function under aws-lambda-ric and a local Runtime API, one process per execution environment'
        : `3. the function imported and invoked in this process (${functions.inProcessBecause})`,
    );
    const env = {
      ...s3.env,
      AWS_LAMBDA_FUNCTION_NAME: 'orders',
      CONFIG_S3_URI: `s3://${bucket}/${key}`,
      CONFIG_MAX_AGE_MS: String(maxAgeMs),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      DB_SECRET_ID: dbSecret,
      APP_FEATURES__NEW_CHECKOUT: 'true',
    };
    console.log(
      `   env: CONFIG_S3_URI, CONFIG_MAX_AGE_MS=2000, DB_SECRET_ID=${dbSecret} (Secrets Manager on ${secrets.endpoint}), APP_FEATURES__NEW_CHECKOUT=true`,
    );
    await coldAndWarm(functions, task, s3, env);
    if (runs > 1 && functions.ric) await medians(functions, task, s3, env);
    else if (runs > 1) console.log('   --runs: cold starts need a process each; build aws-lambda-ric first');
    await initError(functions, task, env);
    console.log(
      "5. the effective config, from the CLI (run from source, with the function's environment): strataconf print --loader examples/lambda-handler/config.ts --explain",
    );
    const { status, output } = await explain(repo, env);
    process.stdout.write(output.replace(/^(?=.)/gm, '   '));
    if (status !== 0) process.exitCode = 1;
  } finally {
    await s3.close();
    await secrets.close();
  }
}

await main();
