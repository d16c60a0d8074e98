/**
 * The remote stores' engines (the light transport, the retry policy, the failure table, each store's
 * requests and answers), imported by a remote layer at its first load rather than with strataconf:
 * a function whose layers are all local never compiles them. One module for the four stores, so a
 * first remote load adds one file.
 */

// One binding of the main entry too, for the build's sake: every module the main entry reaches is
// then reached from here as well, so the build keeps them all in the one chunk the entry points
// share (a module reached by some entry points and not others would get a chunk of its own, and
// each file a cold start reads costs it about half a millisecond). ConfigError, because every module
// keeps it anyway: re-exporting the whole entry would stop a bundler from dropping what a handler
// does not use. test/integration/lazy-engines.test.ts holds the build to it.
export { ConfigError } from './index.js';
export { appConfigSource } from './sources/appconfig/engine.js';
export { s3Source } from './sources/s3/engine.js';
export { secretSource } from './sources/secrets-manager/engine.js';
export { ssmSource } from './sources/ssm/engine.js';
