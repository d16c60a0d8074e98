/**
 * "Cold process with an S3 layer": whole processes (spawn to exit) that read one small JSON object
 * from a local S3 server (s3rver on 127.0.0.1, started here) with the credentials in the
 * environment, as on Lambda: the floor (a signed GET by hand), strataconf on its light path,
 * strataconf given an SDK client, the SDK's GetObjectCommand alone, and @aws-lite/client alone. Round-robin, so the ratios
 * of one run compare like with like. `node bench/run.mjs --only coldS3 --runs 11`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, roundRobin, runChild, summarize } from '../lib/stats.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const CHILD = join(BENCH, 'cold/s3-layer-child.mjs');
const VARIANTS = [
  'floor',
  'strataconf',
  'strataconf + SDK client',
  'SDK GetObjectCommand',
  '@aws-lite/client',
];
const BUCKET = 'strataconf-bench';
const KEY = 'prod.json';

/** s3rver in a process of its own: the figure's children are run with spawnSync, which blocks this one. */
export async function startS3() {
  const dir = mkdtempSync(join(tmpdir(), 'strataconf-bench-s3-'));
  const cli = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const args = [cli, '-d', dir, '-a', '127.0.0.1', '-p', '0', '--silent', '--configure-bucket', BUCKET];
  const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on [\d.]+:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    server.on('exit', () => reject(new Error(`s3rver exited: ${out}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  const Body = JSON.stringify({ db: { host: 'from-s3' }, flags: { beta: true } });
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body }));
  return {
    endpoint,
    close() {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The environment of a child: Lambda's variables (credentials, region) and the local endpoint. */
export function s3ChildEnv(endpoint, extra = {}) {
  return childEnv({
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    S3_BUCKET: BUCKET,
    S3_KEY: KEY,
    ...extra,
  });
}

export async function coldS3Figure(runs) {
  const s3 = await startS3();
  try {
    const env = s3ChildEnv(s3.endpoint);
    const variants = Object.fromEntries(VARIANTS.map((v) => [v, v]));
    const samples = roundRobin(variants, runs, (name) => runChild([CHILD, name], env, BENCH));
    const out = summarize(samples, ['workMs', 'wallMs', 'boot']);
    const wall = (name) => out[name].wallMs.median;
    out.ratios = {
      'strataconf / floor': wall('strataconf') / wall('floor'),
      'strataconf / SDK GetObjectCommand': wall('strataconf') / wall('SDK GetObjectCommand'),
      'strataconf + SDK client / floor': wall('strataconf + SDK client') / wall('floor'),
      'SDK GetObjectCommand / floor': wall('SDK GetObjectCommand') / wall('floor'),
      '@aws-lite/client / floor': wall('@aws-lite/client') / wall('floor'),
    };
    return out;
  } finally {
    s3.close();
  }
}
