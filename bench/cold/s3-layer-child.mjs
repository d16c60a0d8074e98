/**
 * One cold process that reads a config with an S3 layer: `node cold/s3-layer-child.mjs VARIANT`,
 * with the bucket in S3_BUCKET / S3_KEY and the AWS variables (credentials, region, endpoint) in the
 * environment as on Lambda. Prints one JSON line: `{ boot, workMs, ok }` (ok: the layer's value is
 * in the result, checked after the timer stops). The parent also times spawn to exit (`wallMs`).
 *
 * - floor: what a hand-written function does: sign one GET, send it over node:http(s), JSON.parse,
 *   merge by hand. The signer is aws4 (13 KB), the smallest published one.
 * - strataconf: fromS3 without a client (the light path).
 * - strataconf + SDK client: fromS3 given `new S3Client({})`.
 * - SDK GetObjectCommand: the SDK alone, no strataconf.
 * - @aws-lite/client: the same GET with aws-lite (`autoloadPlugins: false`), no strataconf.
 */
const boot = performance.now();
const variant = process.argv[2];
const { S3_BUCKET: bucket, S3_KEY: key } = process.env;
const base = { service: 'orders', db: { host: 'localhost', port: 5432 } };

async function floor() {
  const { default: aws4 } = await import('aws4');
  const endpoint = new URL(process.env.AWS_ENDPOINT_URL_S3);
  const { request } = await import(endpoint.protocol === 'https:' ? 'node:https' : 'node:http');
  const opts = aws4.sign({
    host: endpoint.host,
    path: `/${bucket}/${key}`,
    service: 's3',
    region: process.env.AWS_REGION,
  });
  const text = await new Promise((resolve, reject) => {
    const req = request(
      { ...opts, hostname: endpoint.hostname, port: endpoint.port, protocol: endpoint.protocol },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end();
  });
  const layer = JSON.parse(text);
  return { ...base, ...layer, db: { ...base.db, ...layer.db } };
}

/** @aws-lite/client, plugin autoloading off: the light AWS client strataconf weighed (README). */
async function awsLite() {
  const { default: awsLite } = await import('@aws-lite/client');
  const aws = await awsLite({ autoloadPlugins: false, endpoint: process.env.AWS_ENDPOINT_URL_S3 });
  const res = await aws({ service: 's3', path: `/${bucket}/${key}` });
  const layer =
    typeof res.payload === 'string' || Buffer.isBuffer(res.payload) ? JSON.parse(res.payload) : res.payload;
  return { ...base, ...layer, db: { ...base.db, ...layer.db } };
}

async function strataconf(withClient) {
  const { STRATACONF } = await import('../lib/target.mjs');
  const { fromObject, fromS3, loadConfig } = await import(STRATACONF);
  const opts = { optional: false };
  if (withClient) {
    const { S3Client } = await import('@aws-sdk/client-s3');
    opts.client = new S3Client({ forcePathStyle: true });
  }
  return loadConfig({ sources: [fromObject(base), fromS3(`s3://${bucket}/${key}`, opts)] });
}

async function sdk() {
  const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ forcePathStyle: true });
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const layer = JSON.parse(await out.Body.transformToString());
  return { ...base, ...layer, db: { ...base.db, ...layer.db } };
}

const variants = {
  floor,
  strataconf: () => strataconf(false),
  'strataconf + SDK client': () => strataconf(true),
  'SDK GetObjectCommand': sdk,
  '@aws-lite/client': awsLite,
};

const t0 = performance.now();
const config = await variants[variant]();
const workMs = performance.now() - t0;
console.log(JSON.stringify({ boot, workMs, ok: config?.db?.host === 'from-s3' && config.db.port === 5432 }));
