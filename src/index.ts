export { resetConfigCache } from './cache.js';
export { defineConfig, loadConfig } from './config.js';
export { ConfigError, type ConfigErrorCode, isConfigError, type ValidationIssue } from './errors.js';
export { type ExplainOptions, explainConfig } from './explain.js';
export { getIn } from './get-in.js';
export { redact } from './secrets.js';
export {
  type AppConfigDataClientLike,
  type AppConfigLocation,
  type FromAppConfigOptions,
  fromAppConfig,
} from './sources/appconfig/source.js';
export { type FromEnvOptions, fromEnv } from './sources/env.js';
export { type FromFileOptions, fromFile } from './sources/file.js';
export { type FromObjectOptions, fromObject } from './sources/object.js';
export { type FromS3Options, fromS3, type S3ClientLike, type S3Location } from './sources/s3/source.js';
export {
  type FromSecretOptions,
  fromSecret,
  type SecretsManagerClientLike,
} from './sources/secrets-manager/source.js';
export { type FromSsmOptions, fromSsm, type SsmClientLike } from './sources/ssm/source.js';
export type {
  ConfigChange,
  ConfigDefinition,
  ConfigOf,
  ConfigPath,
  DeepReadonly,
  LambdaContextLike,
  LayerMarker,
  LayerOf,
  LayerValue,
  LoadOptions,
  Logger,
  OverridePolicy,
  Provenance,
  Source,
  SourceContext,
} from './types.js';
