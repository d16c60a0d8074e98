/**
 * A store that refuses a signature quotes what it signed, as AWS does: S3's SignatureDoesNotMatch
 * carries the canonical request (`CanonicalRequest`, `StringToSign`), the JSON services'
 * InvalidSignatureException says "The Canonical String for this request should have been ...".
 * The canonical request holds the session token (`x-amz-security-token`). No ConfigError, cause
 * chain included, may show it, on any store and either path: a failure's cause keeps the error's
 * name, code, status, request id and a message cut at the quoted request
 * (src/sources/remote/cause.ts), never the error object itself.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  fromAppConfig,
  fromS3,
  fromSecret,
  fromSsm,
  loadConfig,
  resetConfigCache,
  type Source,
} from '../../src/index.js';
import { type LocalAws, startLocalAws } from '../../src/testing.js';
import { expectNoSecrets, surfaces } from './leaks.js';

const TOKEN = 'session-token-PLANTED-FwoGZXIvYXdzEJr';
const SECRET = 'secret-key-PLANTED-wJalrXUtnFEMI';
let aws: LocalAws;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'strataconf-signature-'));
  aws = await startLocalAws(
    {
      s3: { 'my-config/a.json': '{}' },
      ssm: { '/app/x': '1' },
      secrets: { app: '{}' },
      appconfig: { 'app/prod/main': { content: {} } },
    },
    {
      credentials: { accessKeyId: 'AKIDSIGNATURE', secretAccessKey: SECRET, sessionToken: TOKEN },
      appConfigExtension: false,
    },
  );
  writeFileSync(
    join(work, 'credentials'),
    `[wrong]\naws_access_key_id = AKIDSIGNATURE\naws_secret_access_key = not-the-secret\naws_session_token = ${TOKEN}\n`,
  );
});
afterAll(async () => {
  await aws.close();
  await rm(work, { recursive: true, force: true });
});
afterEach(() => resetConfigCache());

const SOURCES: Record<string, () => Source> = {
  s3: () => fromS3('s3://my-config/a.json', { optional: false }),
  ssm: () => fromSsm('/app/', { optional: false }),
  secret: () => fromSecret('app', { optional: false }),
  appconfig: () => fromAppConfig('app/prod/main', { optional: false }),
};

/** The environment of a path, with a wrong secret key and the right session token. */
function wrongSecretOn(path: 'light' | 'sdk'): void {
  for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
  if (path === 'light') {
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-the-secret');
    return;
  }
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
    vi.stubEnv(name, '');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(work, 'credentials'));
  vi.stubEnv('AWS_CONFIG_FILE', join(work, 'no-config'));
  vi.stubEnv('AWS_PROFILE', 'wrong');
}

async function refused(path: 'light' | 'sdk', store: string): Promise<unknown> {
  wrongSecretOn(path);
  const err = await loadConfig({ sources: [(SOURCES[store] as () => Source)()] }).catch((e: unknown) => e);
  expect(err).toMatchObject({
    code: 'SOURCE_UNAVAILABLE',
    message: expect.stringContaining('credentials rejected'),
  });
  return err;
}

describe('a signature error, answered as AWS answers it', () => {
  it.each([
    ['light', 's3'],
    ['light', 'ssm'],
    ['light', 'secret'],
    ['light', 'appconfig'],
    ['sdk', 's3'],
    ['sdk', 'ssm'],
    ['sdk', 'secret'],
    ['sdk', 'appconfig'],
  ] as const)('shows no session token (%s path, %s)', async (path, store) => {
    expectNoSecrets(surfaces(await refused(path, store)), [TOKEN, SECRET]);
  });
});
