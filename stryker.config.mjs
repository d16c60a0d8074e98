// Mutation testing (`npm run mutation`; not part of CI: it takes minutes per module on 2 cores).
// Pick modules with STRATACONF_MUTATE=merge,cache (default: all below). Each module runs only the
// test files listed for it, so a run stays short; scores are recorded in MUTATION.md.
// @ts-check

/**
 * Per module: the files to mutate and the test files that guard them. Left out on purpose: tests
 * that change HOME or the working directory (Stryker runs vitest in worker threads, which share
 * both) and test/hardening/hostile-sources.test.ts (its 100,000-key layer takes 10 s instrumented,
 * for every mutant).
 */
const MODULES = {
  merge: {
    mutate: ['src/merge.ts'],
    tests: ['test/merge.test.ts', 'test/explain.test.ts', 'test/hardening/properties.test.ts'],
  },
  'layer-tree': {
    mutate: ['src/layer-tree.ts'],
    tests: [
      'test/merge.test.ts',
      'test/hardening/properties.test.ts',
      'test/hardening/prototype-pollution.test.ts',
      'test/hardening/layer-depth.test.ts',
    ],
  },
  env: {
    mutate: ['src/env.ts'],
    tests: [
      'test/sources/env.test.ts',
      'test/hardening/env-mapping.test.ts',
      'test/hardening/properties.test.ts',
    ],
  },
  cache: {
    mutate: ['src/cache.ts'],
    tests: [
      'test/cache.test.ts',
      'test/hardening/cache-keys.test.ts',
      'test/hardening/concurrency.test.ts',
      'test/hardening/reload-failures.test.ts',
    ],
  },
  redaction: {
    mutate: ['src/secrets.ts', 'src/secret-marks.ts', 'src/cli/redact.ts'],
    tests: [
      'test/secrets.test.ts',
      'test/cli/redact.test.ts',
      'test/hardening/secrets.test.ts',
      'test/hardening/secrets-cli.test.ts',
      'test/hardening/redaction-edges.test.ts',
    ],
  },
  // The light AWS transport: signing, endpoints, bounded reads, error answers, S3 addressing.
  aws: {
    mutate: ['src/aws/*.ts', '!src/aws/index.ts'],
    s3rver: true,
    tests: [
      'test/aws/env.test.ts',
      'test/aws/errors.test.ts',
      'test/aws/scrub.test.ts',
      'test/aws/send.test.ts',
      'test/aws/endpoints.test.ts',
      'test/aws/sign.test.ts',
      'test/aws/http.test.ts',
      'test/aws/protocols.test.ts',
      'test/aws/s3.test.ts',
      'test/aws/default-hosts.test.ts',
      'test/hardening/secrets-in-answers.test.ts',
      'test/hardening/bounded-answers.test.ts',
      'test/hardening/broken-answers.test.ts',
    ],
  },
  // The lifecycle every remote layer shares: budget, failure table, causes, retries, connection, bounds.
  remote: {
    mutate: ['src/sources/remote/*.ts'],
    s3rver: true,
    tests: [
      'test/aws/protocols.test.ts',
      'test/sources/s3.test.ts',
      'test/sources/s3-reload.test.ts',
      'test/sources/s3-failures.test.ts',
      'test/sources/ssm.test.ts',
      'test/sources/secret.test.ts',
      'test/sources/appconfig.test.ts',
      'test/hardening/s3-clients.test.ts',
      'test/hardening/reload-failures.test.ts',
      'test/hardening/remote-causes.test.ts',
      'test/hardening/failure-table.test.ts',
      'test/hardening/appconfig-extension.test.ts',
      'test/hardening/secrets-in-answers.test.ts',
      'test/hardening/bounded-answers.test.ts',
      'test/hardening/broken-answers.test.ts',
    ],
  },
  // The policy's own rooms (budget, retry loop, connection choice, lifecycle, options), with the
  // test files that reach them in seconds (fake timers, mocked clients): the whole `remote` module
  // takes more than an hour here.
  'remote-policy': {
    mutate: [
      'src/sources/remote/retry.ts',
      'src/sources/remote/budget.ts',
      'src/sources/remote/connect.ts',
      'src/sources/remote/source.ts',
      'src/sources/remote/options.ts',
    ],
    tests: [
      'test/sources/remote/retry.test.ts',
      'test/sources/remote/options.test.ts',
      'test/sources/remote/connect.test.ts',
      'test/sources/remote/source.test.ts',
      'test/recovery.test.ts',
      'test/aws/protocols.test.ts',
      'test/sources/ssm.test.ts',
      'test/sources/secret.test.ts',
      'test/sources/appconfig.test.ts',
      'test/sources/s3.test.ts',
      'test/sources/s3-failures.test.ts',
      'test/sources/s3-reload.test.ts',
      'test/hardening/failure-table.test.ts',
      'test/hardening/remote-causes.test.ts',
      'test/hardening/source-identity.test.ts',
    ],
  },
};

const picked = (process.env.STRATACONF_MUTATE ?? 'merge,layer-tree,env,cache').split(',');
const unknown = picked.filter((name) => !(name in MODULES));
if (unknown.length > 0) throw new Error(`STRATACONF_MUTATE: unknown module ${unknown.join(', ')}`);
const modules = picked.map((name) => MODULES[/** @type {keyof typeof MODULES} */ (name)]);

// Read by vitest.mutation.config.ts in Stryker's test-runner processes (they inherit the environment).
process.env.STRATACONF_MUTATION_TESTS = [...new Set(modules.flatMap((m) => m.tests))].join(',');
// Modules whose tests read S3 through s3rver keep the suite's global setup that starts it.
process.env.STRATACONF_MUTATION_S3RVER = modules.some((m) => 's3rver' in m && m.s3rver) ? '1' : '';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: modules.flatMap((m) => m.mutate),
  coverageAnalysis: 'perTest',
  // The machine is shared: one test runner at a time.
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${picked.join('+')}.html` },
  jsonReporter: { fileName: `reports/mutation/${picked.join('+')}.json` },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
