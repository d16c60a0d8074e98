// An ESM consumer of the installed tarball. It prints one JSON report on stdout; the test asserts it.
import {
  ConfigError,
  defineConfig,
  explainConfig,
  fromEnv,
  fromFile,
  fromObject,
  fromS3,
  getIn,
  isConfigError,
  loadConfig,
} from 'strataconf';
import { captureWarnings, loadFresh, resetConfigCache } from 'strataconf/testing';
import { z } from 'zod';

const schema = z.object({
  service: z.string(),
  db: z.object({ host: z.string(), port: z.number() }),
  features: z.array(z.string()),
});
const definition = defineConfig({ schema, sources: [fromFile('config.json5'), fromEnv({ prefix: 'APP_' })] });

function failure(err) {
  return { code: err.code, instanceOfMain: err instanceof ConfigError, isConfigError: isConfigError(err) };
}

const config = await definition.load();
const warm = await definition.load();
resetConfigCache(); // the one from strataconf/testing: it must empty the main entry point's cache
const afterReset = await definition.load();

const logger = captureWarnings();
await loadConfig({ sources: [fromObject({ a: 1 }), fromObject({ a: 2 }, { name: 'second' })], logger });

let missingKey;
try {
  getIn(config, 'db', 'user');
} catch (err) {
  missingKey = failure(err);
}
let missingFile;
try {
  await loadFresh({ sources: [fromFile('missing.json5')] });
} catch (err) {
  missingFile = failure(err);
}
// @aws-sdk/client-s3 is not installed in this project: an optional S3 layer is dropped, with the reason.
const s3 = await loadFresh({ sources: [fromObject({ a: 1 }), fromS3('s3://no-sdk/config.json5')] });

// No logger given: the default logger writes this warning to stderr.
await loadConfig({ sources: [fromObject({ b: 1 }), fromObject({ b: 2 }, { name: 'later' })] });

console.log(
  JSON.stringify({
    config,
    frozen: Object.isFrozen(config) && Object.isFrozen(config.db) && Object.isFrozen(config.features),
    warmSame: warm === config,
    resetGivesNew: afterReset !== config && JSON.stringify(afterReset) === JSON.stringify(config),
    explainHost: explainConfig(config).find((row) => row.path.join('.') === 'db.host'),
    capturedCodes: logger.codes(),
    missingKey,
    missingFile,
    s3Warnings: s3.warnings.map((w) => ({ code: w.code, reason: w.details.reason })),
  }),
);
