/**
 * AWS's host names as the AWS SDK v3 forms them from its endpoint rules, for the four services the
 * light transport speaks to: the partition a region belongs to (its DNS suffixes), and the FIPS
 * (`AWS_USE_FIPS_ENDPOINT`) and dual-stack (`AWS_USE_DUALSTACK_ENDPOINT`) variants. Checked host by
 * host against the SDK's own clients (test/aws/endpoints.test.ts).
 */

type Env = Record<string, string | undefined>;

/** One AWS partition: the regions it holds and its DNS suffixes. */
interface Partition {
  regions: RegExp;
  dnsSuffix: string;
  dualStackDnsSuffix: string;
}

const partition = (regions: RegExp, dnsSuffix: string, dualStackDnsSuffix: string): Partition => ({
  regions,
  dnsSuffix,
  dualStackDnsSuffix,
});

// The SDK's partitions (`@aws-sdk/util-endpoints`' partitions.json); a region none matches is `aws`'s.
const AWS = partition(/./, 'amazonaws.com', 'api.aws');
const CHINA = partition(/^cn-\w+-\d+$/, 'amazonaws.com.cn', 'api.amazonwebservices.com.cn');
const GOV_CLOUD = partition(/^us-gov-\w+-\d+$/, 'amazonaws.com', 'api.aws');
const PARTITIONS: readonly Partition[] = [
  CHINA,
  partition(/^eusc-de-\w+-\d+$/, 'amazonaws.eu', 'api.amazonwebservices.eu'),
  partition(/^us-iso-\w+-\d+$/, 'c2s.ic.gov', 'api.aws.ic.gov'),
  partition(/^us-isob-\w+-\d+$/, 'sc2s.sgov.gov', 'api.aws.scloud'),
  partition(/^eu-isoe-\w+-\d+$/, 'cloud.adc-e.uk', 'api.cloud-aws.adc-e.uk'),
  partition(/^us-isof-\w+-\d+$/, 'csp.hci.ic.gov', 'api.aws.hci.ic.gov'),
  GOV_CLOUD,
];

/** The partition of `region`. */
function partitionOf(region: string): Partition {
  return PARTITIONS.find((p) => p.regions.test(region)) ?? AWS;
}

/**
 * A region name as AWS writes them (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`): what a region
 * taken from an answer (S3's `x-amz-bucket-region`) must look like before it goes into a host name
 * and a signature's scope.
 */
export const REGION_NAME = /^[a-z]{2,4}(-[a-z]{2,10}){1,3}-\d{1,2}$/;

/** `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`: `true` or `false` (or unset), as the SDK reads them. */
function flag(env: Env, name: string): boolean {
  const value = env[name];
  if (value === undefined || value === '') return false;
  if (value.toLowerCase() === 'true') return true;
  if (value.toLowerCase() === 'false') return false;
  throw new TypeError(`${name} must be "true" or "false"`);
}

/** The endpoint variants the environment asks for. */
export interface Variants {
  fips: boolean;
  dualStack: boolean;
}

/** What `AWS_USE_FIPS_ENDPOINT` and `AWS_USE_DUALSTACK_ENDPOINT` ask for. */
export function endpointVariants(env: Env = process.env): Variants {
  return { fips: flag(env, 'AWS_USE_FIPS_ENDPOINT'), dualStack: flag(env, 'AWS_USE_DUALSTACK_ENDPOINT') };
}

/** S3: `s3[-fips][.dualstack].REGION.<dnsSuffix>`; China has no FIPS endpoint. */
function s3Host(region: string, p: Partition, v: Variants): string {
  if (v.fips && p === CHINA) throw new TypeError(`S3 has no FIPS endpoint in ${region}`);
  return `${v.fips ? 's3-fips' : 's3'}${v.dualStack ? '.dualstack' : ''}.${region}.${p.dnsSuffix}`;
}

/** Secrets Manager's endpoints in these partitions are dual-stack under the plain suffix already. */
function secretsSuffix(p: Partition, v: Variants): string {
  if (!v.dualStack) return p.dnsSuffix;
  if (p === AWS || p === GOV_CLOUD) return p.dnsSuffix;
  if (p === CHINA && !v.fips) return p.dnsSuffix;
  return p.dualStackDnsSuffix;
}

/**
 * The default host of `prefix` (`ssm`, `secretsmanager`, `appconfigdata`, `s3`) in `region`, as the
 * SDK's endpoint rules form it.
 */
export function defaultHost(prefix: string, region: string, v: Variants): string {
  const p = partitionOf(region);
  if (prefix === 's3') return s3Host(region, p, v);
  if (prefix === 'secretsmanager') {
    return `${v.fips ? 'secretsmanager-fips' : 'secretsmanager'}.${region}.${secretsSuffix(p, v)}`;
  }
  // GovCloud's FIPS endpoints of SSM and AppConfigData are their plain host names.
  const fips = v.fips && !(p === GOV_CLOUD && !v.dualStack);
  return `${fips ? `${prefix}-fips` : prefix}.${region}.${v.dualStack ? p.dualStackDnsSuffix : p.dnsSuffix}`;
}
