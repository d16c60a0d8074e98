import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The test run Stryker repeats for every mutant (see stryker.config.mjs): only the test files that
 * guard the module being mutated, without the type tests or the S3 server none of them needs.
 */
const files = (process.env.STRATACONF_MUTATION_TESTS ?? '').split(',').filter(Boolean);

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: files.length > 0 ? files : (base.test?.include ?? []),
    globalSetup: [],
    typecheck: { enabled: false },
    // Fewer generated cases per property (test/hardening/properties.test.ts): each mutant reruns them.
    env: { ...base.test?.env, STRATACONF_PROPERTY_RUNS: '40' },
  },
});
