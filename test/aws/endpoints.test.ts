import { describe, expect, it } from 'vitest';
import { type AwsService, serviceEndpoint } from '../../src/aws/index.js';
import { sdkRequest } from './sdk-requests.js';

/**
 * The light transport's default hosts against the AWS SDK v3's own clients, for every service it
 * speaks to, a region of every partition (commercial, China, GovCloud, the ISO partitions, the
 * European sovereign cloud), and `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT` on and off.
 */

const SERVICES: AwsService[] = ['ssm', 'secretsmanager', 'appconfigdata', 's3'];
const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'cn-north-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-isob-east-1',
  'eu-isoe-west-1',
  'us-isof-south-1',
  'eusc-de-east-1',
];
// Names at the edges of each partition's pattern: two digits, something before or after it.
const EDGE_REGIONS = ['cn', 'us-gov', 'us-iso', 'us-isob', 'eu-isoe', 'us-isof', 'eusc-de'].flatMap((p) => [
  `${p}-north-12`,
  `x${p}-north-1`,
  `${p}-north-1x`,
]);
const VARIANTS = [
  { fips: false, dualStack: false },
  { fips: true, dualStack: false },
  { fips: false, dualStack: true },
  { fips: true, dualStack: true },
];

const cases = SERVICES.flatMap((service) => [
  ...REGIONS.flatMap((region) => VARIANTS.map((v) => [service, region, v.fips, v.dualStack] as const)),
  ...EDGE_REGIONS.flatMap((region) => [
    [service, region, false, true] as const,
    [service, region, true, false] as const,
  ]),
]);

describe('default endpoints, as the AWS SDK forms them', () => {
  it.each(cases)('%s in %s (FIPS %s, dual-stack %s)', async (service, region, fips, dualStack) => {
    const env = {
      AWS_USE_FIPS_ENDPOINT: String(fips),
      AWS_USE_DUALSTACK_ENDPOINT: String(dualStack),
    };
    const sdk = await sdkRequest(service, { region, useFipsEndpoint: fips, useDualstackEndpoint: dualStack });
    if (sdk instanceof Error) {
      // The SDK has no such endpoint (S3 FIPS in China): neither has strataconf, with a clear error.
      expect(() => serviceEndpoint(service, region, env)).toThrow(/no FIPS endpoint/);
      return;
    }
    const host = serviceEndpoint(service, region, env).hostname;
    // S3's host is the bucket's (virtual-hosted): the SDK's, without the bucket label.
    expect(service === 's3' ? `my-bucket.${host}` : host).toBe(sdk.hostname);
  });

  it('reads the variables as the SDK does: true or false in any case, unset or empty for false', () => {
    const host = (env: Record<string, string>) => serviceEndpoint('ssm', 'us-east-1', env).hostname;
    expect(host({ AWS_USE_FIPS_ENDPOINT: 'TRUE' })).toBe('ssm-fips.us-east-1.amazonaws.com');
    expect(host({ AWS_USE_FIPS_ENDPOINT: 'false', AWS_USE_DUALSTACK_ENDPOINT: '' })).toBe(
      'ssm.us-east-1.amazonaws.com',
    );
    expect(() => host({ AWS_USE_DUALSTACK_ENDPOINT: 'yes' })).toThrow(
      'AWS_USE_DUALSTACK_ENDPOINT must be "true" or "false"',
    );
  });

  it('keeps a configured endpoint as it is, FIPS or not', () => {
    const env = { AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4566' };
    expect(serviceEndpoint('ssm', 'us-east-1', env)).toMatchObject({ hostname: '127.0.0.1', custom: true });
  });
});
