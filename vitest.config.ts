import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // The examples import the package by name, as a user would; here that name is this source tree
    // (one module graph, so strataconf/testing's resetConfigCache resets the cache strataconf uses).
    alias: [
      { find: /^strataconf$/, replacement: src('index.ts') },
      { find: /^strataconf\/testing$/, replacement: src('testing.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    unstubEnvs: true,
    testTimeout: 20_000,
    // A local S3-compatible server for the integration tests; see the top of the file for its use.
    globalSetup: ['test/setup/s3rver.ts'],
    // A strataconf warning that reaches console.warn fails its test: tests capture what they cause.
    setupFiles: ['test/setup/no-stray-warnings.ts'],
    // The AWS SDK warns once per process on Node < 22 (it will require Node 22 from 2027); keep test output clean.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
});
