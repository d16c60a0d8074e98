import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetBucketRegions } from '../../src/aws/index.js';
import { explainConfig, fromS3, loadConfig, resetConfigCache } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { type FakeAws, lightEnv, startFakeAws } from '../aws/fake-aws.js';

/**
 * fromS3 on the light path (credentials in the environment, no client) against a small S3-like
 * server that checks every signature with AWS's signer: what s3rver cannot show (versionId read
 * back, a bucket in another region).
 */

let aws: FakeAws | undefined;

async function serve(...args: Parameters<typeof startFakeAws>): Promise<FakeAws> {
  aws = await startFakeAws(...args);
  for (const [name, value] of Object.entries(lightEnv(aws.endpoint))) vi.stubEnv(name, value);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  return aws;
}

afterEach(async () => {
  await aws?.close();
  aws = undefined;
  resetConfigCache();
  resetBucketRegions();
});

describe('fromS3 on the light path', () => {
  it('reads a version of the object (versionId) and names it in explainConfig', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { etag: '"v2"', 'x-amz-version-id': 'v2+/=', 'content-type': 'application/json5' });
      res.end(`{ seen: "${new URL(req.url, 'http://x').searchParams.get('versionId')}" }`);
    }, 'rest-xml');
    const config = await loadConfig({
      sources: [fromS3('s3://versioned/app.json5', { versionId: 'v2+/=' })],
    });
    expect(config).toEqual({ seen: 'v2+/=' });
    expect(explainConfig(config)[0]?.sourceVersion).toBe('ETag "v2", versionId v2+/=');
    expect(server.received[0]?.url).toBe('/versioned/app.json5?versionId=v2%2B%2F%3D');
  });

  it('follows a bucket in another region once, with one REGION_REDIRECT warning', async () => {
    await serve((req, res) => {
      if (req.verdict.region === 'ap-south-1') {
        res.writeHead(200, { etag: '"r"' });
        return res.end('{ region: "ap-south-1" }');
      }
      res.writeHead(301, { 'x-amz-bucket-region': 'ap-south-1', 'content-type': 'application/xml' });
      res.end('<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>');
    }, 'rest-xml');
    const logger = captureWarnings();
    const config = await loadConfig({ sources: [fromS3('s3://far-away/app.json5')], logger });
    expect(config).toEqual({ region: 'ap-south-1' });
    expect(logger.warnings).toEqual([
      {
        code: 'REGION_REDIRECT',
        message:
          "the S3 bucket far-away is in ap-south-1, not us-east-1: followed the redirect; pass { region: 'ap-south-1' } to fromS3 to skip it",
        details: { code: 'REGION_REDIRECT', bucket: 'far-away', from: 'us-east-1', to: 'ap-south-1' },
      },
    ]);
  });
});
