import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * A local S3-compatible server (s3rver, on 127.0.0.1, a free port, a temp directory) with one bucket,
 * the environment variables that point the function at it (credentials as Lambda sets them, so fromS3
 * takes its light path: a signed GET, no AWS SDK), and the status of each GET it answered for
 * `key`: the demo's way of counting the function's S3 requests.
 */
export async function startS3({ bucket, key }) {
  const { PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const directory = await mkdtemp(join(tmpdir(), 'strataconf-demo-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const gets = [];
  // Koa middleware, first in line (s3rver composes its middleware when it starts listening).
  server.middleware.unshift(async (ctx, next) => {
    await next();
    if (ctx.method === 'GET' && ctx.path === `/${bucket}/${key}`) gets.push(ctx.status);
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver accepts the access key id S3RVER only; fromS3 reads all of these from the environment.
  const env = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'eu-west-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({ endpoint, region: env.AWS_REGION, forcePathStyle: true, credentials });
  return {
    endpoint,
    env,
    gets,
    /** Uploads `body` (a string or Buffer: s3rver corrupts streamed uploads) as the layer. */
    put: (body) => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })),
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
