// A handler with S3 and SSM layers, bundled with plain `esbuild --bundle --platform=node`: on Lambda
// (credentials in the environment) they are read by signed requests, without the AWS SDK; elsewhere
// the SDK is imported at run time, from the node_modules beside the bundle.
import { defineConfig, fromEnv, fromFile, fromS3, fromSsm } from 'strataconf';

const config = defineConfig({
  sources: [
    fromFile('config.json5'),
    fromS3('s3://consumer-plain-bundle/stage.json5'),
    fromSsm('/orders/stage/'),
    fromEnv({ prefix: 'APP_' }),
  ],
});

export const handler = async () => {
  const loaded = (await config.load()) as { db: { host: string; pool?: string }; region?: string };
  return { host: loaded.db.host, pool: loaded.db.pool ?? null, region: loaded.region ?? null };
};
