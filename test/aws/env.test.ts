import { describe, expect, it } from 'vitest';
import { configuredEndpoint, envCredentials, resolveRegion, serviceEndpoint } from '../../src/aws/index.js';

describe('envCredentials', () => {
  it('reads the key pair and the session token', () => {
    expect(
      envCredentials({
        AWS_ACCESS_KEY_ID: 'id',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
      }),
    ).toEqual({
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('leaves the token out when it is not set', () => {
    expect(envCredentials({ AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' })).toEqual({
      accessKeyId: 'id',
      secretAccessKey: 'secret',
    });
  });

  it.each([
    {},
    { AWS_ACCESS_KEY_ID: 'id' },
    { AWS_SECRET_ACCESS_KEY: 'secret' },
    { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: 's' },
  ])('is undefined without a complete key pair (%o): the SDK path takes over', (env) => {
    expect(envCredentials(env)).toBeUndefined();
  });
});

describe('resolveRegion', () => {
  it.each([
    ['eu-west-3', { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' }, 'eu-west-3'],
    [undefined, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' }, 'eu-west-1'],
    [undefined, { AWS_DEFAULT_REGION: 'eu-west-2' }, 'eu-west-2'],
    [undefined, {}, undefined],
  ])('option %s with %o gives %s', (option, env, expected) => {
    expect(resolveRegion(option, env)).toBe(expected);
  });
});

describe('serviceEndpoint', () => {
  it.each([
    ['s3', 'AWS_ENDPOINT_URL_S3'],
    ['ssm', 'AWS_ENDPOINT_URL_SSM'],
    ['secretsmanager', 'AWS_ENDPOINT_URL_SECRETS_MANAGER'],
    ['appconfigdata', 'AWS_ENDPOINT_URL_APPCONFIGDATA'],
  ] as const)('%s reads %s before AWS_ENDPOINT_URL', (service, variable) => {
    const env = { [variable]: 'http://127.0.0.1:4566/base/', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' };
    expect(serviceEndpoint(service, 'eu-west-1', env)).toEqual({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      basePath: '/base',
      custom: true,
    });
    expect(
      serviceEndpoint(service, 'eu-west-1', { AWS_ENDPOINT_URL: 'https://proxy.internal' }),
    ).toMatchObject({
      hostname: 'proxy.internal',
      custom: true,
    });
  });

  it.each([
    ['s3', 'eu-west-1', 's3.eu-west-1.amazonaws.com'],
    ['ssm', 'us-east-1', 'ssm.us-east-1.amazonaws.com'],
    ['secretsmanager', 'ap-south-1', 'secretsmanager.ap-south-1.amazonaws.com'],
    ['appconfigdata', 'eu-central-1', 'appconfigdata.eu-central-1.amazonaws.com'],
    ['ssm', 'cn-north-1', 'ssm.cn-north-1.amazonaws.com.cn'],
  ] as const)('%s in %s defaults to https://%s', (service, region, hostname) => {
    expect(serviceEndpoint(service, region, {})).toEqual({
      protocol: 'https:',
      hostname,
      basePath: '',
      custom: false,
    });
  });

  it('ignores the variables when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true, as the SDK does', () => {
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' };
    expect(serviceEndpoint('ssm', 'eu-west-1', env).hostname).toBe('ssm.eu-west-1.amazonaws.com');
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(() => serviceEndpoint('s3', 'eu-west-1', { AWS_ENDPOINT_URL_S3: 'ftp://x' })).toThrow(
      /AWS_ENDPOINT_URL_S3/,
    );
    expect(() => serviceEndpoint('s3', 'eu-west-1', { AWS_ENDPOINT_URL: 'not a url' })).toThrow(
      /AWS_ENDPOINT_URL/,
    );
  });
});

describe('configuredEndpoint', () => {
  it("names the service's variable, else AWS_ENDPOINT_URL, else none, as the SDK reads them", () => {
    expect(
      configuredEndpoint('secretsmanager', {
        AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://a',
        AWS_ENDPOINT_URL: 'http://b',
      }),
    ).toBe('http://a');
    expect(configuredEndpoint('ssm', { AWS_ENDPOINT_URL_SSM: '', AWS_ENDPOINT_URL: 'http://b' })).toBe(
      'http://b',
    );
    expect(configuredEndpoint('s3', { AWS_ENDPOINT_URL: '' })).toBeUndefined();
    expect(configuredEndpoint('appconfigdata', { AWS_ENDPOINT_URL_APPCONFIGDATA: 'http://c' })).toBe(
      'http://c',
    );
    expect(
      configuredEndpoint('s3', {
        AWS_ENDPOINT_URL_S3: 'http://a',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }),
    ).toBeUndefined();
    expect(
      configuredEndpoint('s3', {
        AWS_ENDPOINT_URL_S3: 'http://a',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false',
      }),
    ).toBe('http://a');
  });

  it('keeps no port for the default one, and no trailing slashes of a path', () => {
    expect(
      serviceEndpoint('ssm', 'eu-west-1', { AWS_ENDPOINT_URL: 'https://proxy.internal/base//' }),
    ).toEqual({
      protocol: 'https:',
      hostname: 'proxy.internal',
      basePath: '/base',
      custom: true,
    });
  });
});
