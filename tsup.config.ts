import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The CLI (bin) is built with the library, so dist/cli.js shares its chunks with dist/index.js: a
    // --loader module that imports 'strataconf' gets the very modules the CLI runs. src/cli/bin.ts
    // starts with a #!/usr/bin/env node line, which esbuild keeps and tsup marks executable.
    entry: { index: 'src/index.ts', testing: 'src/testing.ts', cli: 'src/cli/bin.ts' },
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'src/index.ts', testing: 'src/testing.ts' } },
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
