import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromS3, loadConfig, resetConfigCache } from '../../src/index.js';
import { GetObjectCommand, objectOutput, type S3Client, useMockedS3 } from '../sources/s3-mock.js';

/**
 * The AWS SDK path of `fromS3` (no `client` given, no credentials in the environment, so the SDK's
 * own credential chain is what a user relies on): strataconf creates one `S3Client` per region and
 * reuses it on every later load, as creating one costs a Lambda time on each warm invocation. The
 * client each request went through is observed at the mocked `send`, not through internals.
 */

const s3 = useMockedS3();

beforeEach(() => {
  // Credentials from a profile, SSO or an instance role: only the SDK reads those.
  vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
});

/**
 * Loads one S3 layer per region given, each a definition of its own (an object of its own, so a
 * load that is not cached), and returns the client of each.
 */
async function clientsOf(...regions: (string | undefined)[]): Promise<S3Client[]> {
  const seen: S3Client[] = [];
  s3.on(GetObjectCommand).callsFake((input, getClient) => {
    seen.push(getClient() as S3Client);
    return objectOutput(`{ key: "${input.Key}" }`, '"e"')();
  });
  for (const region of regions) {
    await loadConfig({ sources: [fromS3(`s3://orders-config/${++loads}.json5`, { region })] });
  }
  return seen;
}
let loads = 0;

describe('the S3 clients strataconf creates', () => {
  it('reuses the client of a named region on every later load', async () => {
    const [first, second, third] = await clientsOf('eu-west-1', 'eu-west-1', 'eu-west-1');
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(await first?.config.region()).toBe('eu-west-1');
  });

  it('reuses the default region’s client on every later load', async () => {
    const [first, second] = await clientsOf(undefined, undefined);
    expect(second).toBe(first);
    expect(await first?.config.region()).toBe('us-east-1');
  });

  it('gives each region its own client, and comes back to the same one', async () => {
    const [west1, west2, byDefault, west1Again, west2Again] = await clientsOf(
      'eu-west-1',
      'eu-west-2',
      undefined,
      'eu-west-1',
      'eu-west-2',
    );
    expect(new Set([west1, west2, byDefault]).size).toBe(3);
    expect(west1Again).toBe(west1);
    expect(west2Again).toBe(west2);
    expect(await west2?.config.region()).toBe('eu-west-2');
    expect(await byDefault?.config.region()).toBe('us-east-1');
  });

  it('forgets its clients on resetConfigCache(), so a test that changes the environment gets a new one', async () => {
    const [before] = await clientsOf('eu-west-1');
    resetConfigCache();
    const [after] = await clientsOf('eu-west-1');
    expect(after).not.toBe(before);
  });

  it('keeps one client per endpoint: two endpoints in one process (a local stand-in beside AWS) never share one', async () => {
    const [first] = await clientsOf('eu-west-1');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:10');
    const [local, localAgain] = await clientsOf('eu-west-1', 'eu-west-1');
    expect(local).not.toBe(first);
    expect(localAgain).toBe(local);
  });

  it('shares one client between two layers of the same region in one load', async () => {
    const seen = new Set<unknown>();
    s3.on(GetObjectCommand).callsFake((input, getClient) => {
      seen.add(getClient());
      return objectOutput(`{ ${input.Key?.replace('.json5', '')}: 1 }`, '"e"')();
    });
    const config = await loadConfig({
      sources: [
        fromS3('s3://orders-config/a.json5', { region: 'eu-west-1' }),
        fromS3('s3://orders-config/b.json5', { region: 'eu-west-1' }),
      ],
    });
    expect(config).toEqual({ a: 1, b: 1 });
    expect(seen.size).toBe(1);
  });
});
