/**
 * Two remote layers behind 100 ms of injected latency each: strataconf loads sources concurrently,
 * so a cold load takes ~100 ms, not 200. `node figures/s3-child.mjs RUNS`. The layers are
 * user-written sources (a 100 ms timer, then the layer); when the build exports `fromS3`, the same
 * is measured through `fromS3` with a client whose `send` answers after 100 ms.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { STRATACONF } from '../lib/target.mjs';

const runs = Number(process.argv[2]) || 5;
const LATENCY_MS = 100;
const strataconf = await import(STRATACONF);
const { loadConfig } = strataconf;
const silent = { warn() {} };

function slowSource(name, layer) {
  return {
    name,
    optional: true,
    load: async () => {
      await sleep(LATENCY_MS);
      return layer;
    },
  };
}

/** A stand-in for an S3Client: every command answers after the latency, with a JSON5 body. */
function slowClient(bodies) {
  return {
    async send(command) {
      await sleep(LATENCY_MS);
      const text = bodies[command?.input?.Key];
      if (text === undefined)
        throw Object.assign(new Error('NoSuchKey'), {
          name: 'NoSuchKey',
          $metadata: { httpStatusCode: 404 },
        });
      return {
        Body: { transformToString: async () => text },
        ETag: `"${text.length}"`,
        $metadata: { httpStatusCode: 200 },
      };
    },
  };
}

async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const out = { 'two sources, sequential awaits (reference)': [], 'strataconf, two user-written sources': [] };
for (let r = 0; r < runs; r++) {
  // New source objects each run: a new cache entry, so every run is a cold load.
  const a = slowSource('s3://bench/base.json5', { db: { host: 'base', port: 1 } });
  const b = slowSource('s3://bench/prod.json5', { db: { host: 'prod' } });
  out['two sources, sequential awaits (reference)'].push(
    await time(async () => [await a.load(), await b.load()]),
  );
  out['strataconf, two user-written sources'].push(
    await time(() => loadConfig({ sources: [a, b], logger: silent })),
  );
}
if (typeof strataconf.fromS3 === 'function') {
  const bodies = {
    'base.json5': '{ db: { host: "base", port: 1 } }',
    'prod.json5': '{ db: { host: "prod" } }',
  };
  const key = 'strataconf, two fromS3 layers (client answers after 100 ms)';
  out[key] = [];
  for (let r = 0; r < runs + 1; r++) {
    strataconf.resetConfigCache();
    const client = slowClient(bodies);
    const sources = ['base.json5', 'prod.json5'].map((k) => strataconf.fromS3(`s3://bench/${k}`, { client }));
    const ms = await time(() => loadConfig({ sources, logger: silent }));
    // The first run also imports @aws-sdk/client-s3 (fromS3 loads it lazily): reported apart.
    if (r === 0) out['fromS3: first load, SDK import included'] = [ms];
    else out[key].push(ms);
  }
}
process.stdout.write(`${JSON.stringify(out)}\n`);
