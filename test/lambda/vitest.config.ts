import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:lambda`: the example function under the real runtime loop (aws-lambda-ric, built
// from source into test/lambda/runtime by that script), against the same local S3 server as `npm test`.
export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: {
    include: ['test/lambda/**/*.lambda-test.ts'],
    environment: 'node',
    unstubEnvs: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/setup/s3rver.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
