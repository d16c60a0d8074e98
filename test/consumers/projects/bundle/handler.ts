// A Lambda handler as a user deploys it: bundled by esbuild into one file (strataconf, zod and json5
// inlined; @aws-sdk/* left to the Lambda runtime, as CDK's NodejsFunction and SAM do), then run from
// a folder with no node_modules.
import { defineConfig, explainConfig, fromEnv, fromFile, fromS3, type LambdaContextLike } from 'strataconf';
import { z } from 'zod';

const config = defineConfig({
  schema: z.object({
    service: z.string(),
    db: z.object({ host: z.string(), port: z.number() }),
    features: z.array(z.string()),
  }),
  sources: [
    fromFile('config.json5'),
    // Optional: with no SDK installed in the test folder, it is dropped with one warning.
    fromS3('s3://consumer-bundle/override.json5', { optional: true }),
    fromEnv({ prefix: 'APP_' }),
  ],
});

let previous: object | undefined;

export const handler = async (_event: unknown, context: LambdaContextLike) => {
  const loaded = await config.load({ context });
  const warm = loaded === previous;
  previous = loaded;
  const hostSource = explainConfig(loaded).find((row) => row.path.join('.') === 'db.host')?.source;
  return { service: loaded.service, host: loaded.db.host, port: loaded.db.port, hostSource, warm };
};
