import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The test run Stryker repeats for every mutant (see stryker.config.mjs): only the test files that
 * guard the module being mutated, without the type tests (and without the S3 server unless they
 * need it).
 */
const files = (process.env.STRATACONF_MUTATION_TESTS ?? '').split(',').filter(Boolean);

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: files.length > 0 ? files : (base.test?.include ?? []),
    // s3rver only for the modules whose tests need it (stryker.config.mjs `s3rver: true`).
    globalSetup: process.env.STRATACONF_MUTATION_S3RVER === '1' ? base.test?.globalSetup : [],
    typecheck: { enabled: false },
    // Fewer generated cases per property (test/hardening/properties.test.ts): each mutant reruns them.
    env: { ...base.test?.env, STRATACONF_PROPERTY_RUNS: '40' },
  },
});
