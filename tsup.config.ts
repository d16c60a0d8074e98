import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    sourcemap: false,
    // Split the CJS build too, so strataconf and strataconf/testing share one cache module.
    splitting: true,
    // json5, zod and the AWS SDK stay external: they are (peer) dependencies, resolved by the user.
    external: ['json5', 'zod', '@aws-sdk/client-s3'],
  },
]);
