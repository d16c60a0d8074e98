// A CommonJS consumer of the installed tarball. It prints one JSON report on stdout; the test asserts it.
const {
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
} = require('strataconf');
const testing = require('strataconf/testing');
const { version } = require('strataconf/package.json');
const { z } = require('zod');

const schema = z.object({
  service: z.string(),
  db: z.object({ host: z.string(), port: z.number() }),
  features: z.array(z.string()),
});
const definition = defineConfig({ schema, sources: [fromFile('config.json5'), fromEnv({ prefix: 'APP_' })] });

function failure(err) {
  return { code: err.code, instanceOfMain: err instanceof ConfigError, isConfigError: isConfigError(err) };
}

async function main() {
  const config = await definition.load();
  const warm = await definition.load();
  testing.resetConfigCache(); // require('strataconf/testing') and require('strataconf') share one cache
  const afterReset = await definition.load();

  const logger = testing.captureWarnings();
  await loadConfig({ sources: [fromObject({ a: 1 }), fromObject({ a: 2 }, { name: 'second' })], logger });

  let missingKey;
  try {
    getIn(config, 'db', 'user');
  } catch (err) {
    missingKey = failure(err);
  }
  let missingFile;
  try {
    await testing.loadFresh({ sources: [fromFile('missing.json5')] });
  } catch (err) {
    missingFile = failure(err);
  }
  const s3 = await testing.loadFresh({ sources: [fromObject({ a: 1 }), fromS3('s3://no-sdk/config.json5')] });

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
      version,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
