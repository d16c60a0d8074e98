/**
 * What the light transport reads from the environment, the way the AWS SDK v3 reads it: the
 * credentials Lambda puts there, the region, and the endpoint of each service. Everything is read
 * when a request is sent (never at import or when a source is built), so a thawed Lambda
 * environment signs with the credentials it has now.
 */

import { defaultHost, endpointVariants } from './partitions.js';

/** Credentials for one request. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (always so on Lambda); sent as `x-amz-security-token`. */
  sessionToken?: string;
}

type Env = Record<string, string | undefined>;

/**
 * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (when set), or `undefined` when
 * the key pair is not in the environment: then the caller uses the service's AWS SDK client, whose
 * credential chain knows profiles, SSO and instance roles.
 */
export function envCredentials(env: Env = process.env): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/** `region`, else `AWS_REGION` (set by Lambda), else `AWS_DEFAULT_REGION`; `undefined` when none is set. */
export function resolveRegion(region: string | undefined, env: Env = process.env): string | undefined {
  return region || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/** The services the light transport speaks to. */
export type AwsService = 's3' | 'ssm' | 'secretsmanager' | 'appconfigdata';

interface ServiceInfo {
  /** The suffix of `AWS_ENDPOINT_URL_<SUFFIX>` (the SDK's service id, upper snake case). */
  envSuffix: string;
  /** The first label of the default host, `<prefix>.<region>.amazonaws.com`. */
  hostPrefix: string;
  /** The name in the SigV4 credential scope. */
  signingName: string;
}

export const SERVICES: Readonly<Record<AwsService, ServiceInfo>> = {
  s3: { envSuffix: 'S3', hostPrefix: 's3', signingName: 's3' },
  ssm: { envSuffix: 'SSM', hostPrefix: 'ssm', signingName: 'ssm' },
  secretsmanager: {
    envSuffix: 'SECRETS_MANAGER',
    hostPrefix: 'secretsmanager',
    signingName: 'secretsmanager',
  },
  appconfigdata: { envSuffix: 'APPCONFIGDATA', hostPrefix: 'appconfigdata', signingName: 'appconfig' },
};

/** Where requests to a service go. */
export interface Endpoint {
  protocol: 'http:' | 'https:';
  hostname: string;
  /** Absent for the protocol's default port. */
  port?: number;
  /** A path prefix from a custom endpoint URL, without the trailing slash ('' for none). */
  basePath: string;
  /** True when it came from `AWS_ENDPOINT_URL_*`: S3 then uses path-style addressing. */
  custom: boolean;
}

function parseEndpoint(url: string, variable: string): Endpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${variable} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`${variable} must be an http:// or https:// URL`);
  }
  return {
    protocol: parsed.protocol,
    hostname: parsed.hostname,
    ...(parsed.port === '' ? {} : { port: Number(parsed.port) }),
    basePath: parsed.pathname.replace(/\/+$/, ''),
    custom: true,
  };
}

/**
 * The endpoint URL the environment configures for `service` (`AWS_ENDPOINT_URL_<SERVICE>`, else
 * `AWS_ENDPOINT_URL`), as the AWS SDK reads it; `undefined` for AWS's own. Clients and learnt state
 * are kept per endpoint, so a local stand-in and real AWS in one process stay apart.
 */
export function configuredEndpoint(service: AwsService, env: Env = process.env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env[`AWS_ENDPOINT_URL_${SERVICES[service].envSuffix}`] || env.AWS_ENDPOINT_URL || undefined;
}

/**
 * The endpoint of `service`: `AWS_ENDPOINT_URL_<SERVICE>` (`_S3`, `_SSM`, `_SECRETS_MANAGER`,
 * `_APPCONFIGDATA`), else `AWS_ENDPOINT_URL`, else AWS's host for the region as the SDK forms it
 * (`https://ssm.<region>.amazonaws.com`, the partition's DNS suffix in China, GovCloud and the ISO
 * regions, and the FIPS and dual-stack hosts when `AWS_USE_FIPS_ENDPOINT` or
 * `AWS_USE_DUALSTACK_ENDPOINT` is `true`). `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` skips the
 * endpoint variables, as in the SDK; a configured endpoint is used as it is, FIPS or not.
 */
export function serviceEndpoint(service: AwsService, region: string, env: Env = process.env): Endpoint {
  const info = SERVICES[service];
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== 'true') {
    const variable = `AWS_ENDPOINT_URL_${info.envSuffix}`;
    const specific = env[variable];
    if (specific) return parseEndpoint(specific, variable);
    if (env.AWS_ENDPOINT_URL) return parseEndpoint(env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL');
  }
  return {
    protocol: 'https:',
    hostname: defaultHost(info.hostPrefix, region, endpointVariants(env)),
    basePath: '',
    custom: false,
  };
}
