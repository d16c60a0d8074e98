import { defineConfig, fromEnv, fromFile, fromS3, fromSecret } from 'strataconf';
import { schema } from './schema.js';

/** Where the stage's layer lives; the deploy sets it, e.g. `s3://my-config/orders/production.json5`. */
const s3Uri = process.env.CONFIG_S3_URI;
if (s3Uri === undefined || s3Uri === '') throw new Error('CONFIG_S3_URI is not set');

/**
 * The database's Secrets Manager secret, e.g. `orders/production/db`: a JSON object such as
 * `{ "password": "..." }` placed at `db`. (An RDS-managed secret also carries `username`, `engine`,
 * `dbInstanceIdentifier`: declare them, or make `db` a `z.looseObject`, to accept them silently.)
 */
const dbSecret = process.env.DB_SECRET_ID;

/** The name of the secret's layer, for `config.refresh({ sources: [dbSecretSource] })` after a rotation. */
export const dbSecretSource = dbSecret ? `secret:${dbSecret}` : undefined;

/** Lambda sets it in every execution environment. */
const onLambda = process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
const localFile = { optional: true, name: 'config.local.json5' };

/**
 * The function's config, lowest precedence first. Declared once at module scope (no I/O happens
 * here); `config.load()` reads the layers on the first call and then again only after `maxAge`.
 * It is the default export too, so the CLI can print it: `strataconf print --loader config.mjs --explain`.
 */
export const config = defineConfig({
  schema,
  // How long a warm environment serves its config before it looks at S3 again (an unchanged
  // object costs one conditional GET answered 304). 5 minutes unless the deploy says otherwise.
  maxAge: Number(process.env.CONFIG_MAX_AGE_MS ?? 300_000),
  sources: [
    // Beside the bundle: relative to this module, so it works in the task root and in tests alike.
    fromFile(new URL('./config.json5', import.meta.url), { name: 'config.json5' }),
    // The stage's layer; optional by default, so a missing object warns and the $override markers
    // it should have set make the load fail with their docs. No `client`: on Lambda the credentials
    // are in the environment, so fromS3 sends one signed GET and never loads the AWS SDK.
    fromS3(s3Uri),
    // The database password from Secrets Manager, required when the deploy names a secret: a
    // function that cannot read it should fail its init, not run without a database.
    ...(dbSecret ? [fromSecret(dbSecret, { at: 'db', optional: false })] : []),
    // A developer's overrides, off Lambda only (on Lambda its absence would warn at every load).
    ...(onLambda ? [] : [fromFile(new URL('./config.local.json5', import.meta.url), localFile)]),
    // Last word: APP_DB__PASSWORD sets db.password, APP_FEATURES__NEW_CHECKOUT=true features.newCheckout.
    fromEnv({ prefix: 'APP_' }),
  ],
});

export default config;
