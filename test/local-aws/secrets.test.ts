/**
 * The local Secrets Manager is faithful to the protocol: the real @aws-sdk/client-secrets-manager
 * reads secrets back by name and ARN, by stage and version, and gets Secrets Manager's errors by
 * their names.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/testing.js';
import { clientConfig, rejection, wrongSecret } from './clients.js';

let aws: LocalAws;
let client: SecretsManagerClient;
const get = (input: { SecretId: string; VersionStage?: string; VersionId?: string }) =>
  client.send(new GetSecretValueCommand(input));

beforeAll(async () => {
  aws = await startLocalAws({
    secrets: {
      'orders/db': { password: 'old' },
      'orders/api-key': 'plain-key',
      'orders/cert': new Uint8Array([1, 2, 3]),
    },
  });
  // A rotation: the new value is AWSCURRENT, the one it replaced AWSPREVIOUS.
  aws.put({ secrets: { 'orders/db': { password: 'pw' } } });
  client = new SecretsManagerClient(clientConfig(aws));
});
afterAll(async () => {
  client.destroy();
  await aws.close();
});
beforeEach(() => aws.clearFaults());

describe('the local Secrets Manager, read by @aws-sdk/client-secrets-manager', () => {
  it('serves a secret (an object as its JSON) by name and by ARN, with its version and date', async () => {
    const byName = await get({ SecretId: 'orders/db' });
    expect(byName).toMatchObject({
      Name: 'orders/db',
      SecretString: '{"password":"pw"}',
      VersionStages: ['AWSCURRENT'],
      ARN: expect.stringMatching(
        /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders\/db-[A-Za-z0-9]{6}$/,
      ),
    });
    expect(byName.CreatedDate).toBeInstanceOf(Date);
    const byArn = await get({ SecretId: byName.ARN as string });
    expect(byArn.VersionId).toBe(byName.VersionId);
    const byPartialArn = await get({ SecretId: (byName.ARN as string).slice(0, -7) });
    expect(byPartialArn.VersionId).toBe(byName.VersionId);
  });

  it('serves the version a rotation replaced as AWSPREVIOUS, and a version by its id', async () => {
    const previous = await get({ SecretId: 'orders/db', VersionStage: 'AWSPREVIOUS' });
    expect(previous).toMatchObject({ SecretString: '{"password":"old"}', VersionStages: ['AWSPREVIOUS'] });
    const byId = await get({ SecretId: 'orders/db', VersionId: previous.VersionId as string });
    expect(byId.SecretString).toBe('{"password":"old"}');
  });

  it('keeps the same version when the same value is put again', async () => {
    const before = await get({ SecretId: 'orders/api-key' });
    aws.put({ secrets: { 'orders/api-key': 'plain-key' } });
    expect((await get({ SecretId: 'orders/api-key' })).VersionId).toBe(before.VersionId);
  });

  it('serves bytes as SecretBinary', async () => {
    const out = await get({ SecretId: 'orders/cert' });
    expect([...(out.SecretBinary ?? [])]).toEqual([1, 2, 3]);
    expect(out.SecretString).toBeUndefined();
  });

  it.each([
    ['a missing secret', { SecretId: 'orders/none' }, "Secrets Manager can't find the specified secret."],
    [
      'a missing stage',
      { SecretId: 'orders/db', VersionStage: 'AWSPENDING' },
      "Secrets Manager can't find the specified secret value for staging label: AWSPENDING.",
    ],
    [
      'a missing version id',
      { SecretId: 'orders/db', VersionId: '00000000-0000-0000-0000-000000000000' },
      "Secrets Manager can't find the specified secret value for VersionId: 00000000-0000-0000-0000-000000000000.",
    ],
  ])('answers %s with ResourceNotFoundException (HTTP 400)', async (_what, input, message) => {
    const err = await rejection(get(input));
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err).toMatchObject({ message, $metadata: { httpStatusCode: 400 } });
  });

  it('answers injected faults by their names, with the service wording', async () => {
    aws.fail('secrets', { code: 'AccessDeniedException' });
    aws.fail('secrets', {
      code: 'DecryptionFailure',
      message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    });
    const denied = await rejection(get({ SecretId: 'orders/db' }));
    expect(denied).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect(denied.message).toContain(
      'is not authorized to perform: secretsmanager:GetSecretValue on resource: orders/db',
    );
    expect(await rejection(get({ SecretId: 'orders/db' }))).toMatchObject({ name: 'DecryptionFailure' });
  });

  it('refuses a wrong secret key with InvalidSignatureException', async () => {
    const wrong = new SecretsManagerClient(wrongSecret(aws));
    expect(await rejection(wrong.send(new GetSecretValueCommand({ SecretId: 'orders/db' })))).toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 400 },
    });
    wrong.destroy();
  });
});
