import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  target: 'node20',
  platform: 'node',
  sourcemap: false,
  // json5, zod, yaml and the AWS SDK stay external: they are (peer) dependencies, resolved by the user.
  external: ['json5', 'zod', 'yaml', /^@aws-sdk\//],
};

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts', testing: 'src/testing.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // Split the CJS build too, so strataconf and strataconf/testing share one cache module.
    splitting: true,
  },
  {
    ...shared,
    // The CLI (bin) is a build of its own: sharing chunks with the library split dist/index.js into
    // six modules and cost every Lambda cold start ~5 ms of module loading (BENCHMARKS.md). The CLI
    // needs no shared state with a --loader module's copy of the library: it runs the definition's
    // sources itself, and the markers it must recognise across copies are registered symbols.
    // src/cli/bin.ts starts with a #!/usr/bin/env node line, which esbuild keeps and tsup marks executable.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
  },
]);
