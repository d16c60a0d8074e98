export { resetConfigCache } from './cache.js';
export { defineConfig, loadConfig } from './config.js';
export { ConfigError, type ConfigErrorCode, isConfigError, type ValidationIssue } from './errors.js';
export { explainConfig } from './explain.js';
export { getIn } from './get-in.js';
export {
  type AppConfigDataClientLike,
  type AppConfigLocation,
  type FromAppConfigOptions,
  fromAppConfig,
} from './sources/appconfig.js';
export { type FromEnvOptions, fromEnv } from './sources/env.js';
export { type FromFileOptions, fromFile } from './sources/file.js';
export { type FromObjectOptions, fromObject } from './sources/object.js';
export { type FromS3Options, fromS3, type S3ClientLike, type S3Location } from './sources/s3.js';
export type {
  ConfigDefinition,
  ConfigOf,
  DeepReadonly,
  LambdaContextLike,
  LoadOptions,
  Logger,
  OverridePolicy,
  Provenance,
  Source,
  SourceContext,
} from './types.js';
