// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is IAM's and CloudFormation's own syntax.
import { describe, expect, it } from 'vitest';
import { isAppConfigId } from '../../../src/cli/iam/appconfig.js';
import { jsonStatement } from '../../../src/cli/iam/formats/json.js';
import { planPolicy } from '../../../src/cli/iam/policy.js';
import type { Scope } from '../../../src/cli/iam/statements.js';
import {
  fromAppConfig,
  fromEnv,
  fromFile,
  fromObject,
  fromS3,
  fromSecret,
  fromSsm,
} from '../../../src/index.js';
import type { Source } from '../../../src/types.js';

interface Json {
  Sid: string;
  Effect: 'Allow';
  Action: string | string[];
  Resource: string;
  Condition?: object;
}

/** The policy's statements as IAM JSON, and the notes. */
function policyOf(sources: Source[], scope: Scope = {}) {
  const plan = planPolicy(sources, scope);
  return { statements: plan.statements.map((s) => jsonStatement(s) as Json), notes: plan.notes };
}

/** The one statement of a one-layer policy. */
const one = (source: Source, scope: Scope = {}): Json => {
  const { statements } = policyOf([source], scope);
  expect(statements).toHaveLength(1);
  return statements[0] as Json;
};

describe('the policy for each store: exactly the read, nothing more', () => {
  it('grants s3:GetObject on the one object', () => {
    expect(one(fromS3('s3://my-config/orders/prod.json5'))).toEqual({
      Sid: 'S3MyConfigOrdersProdJson5',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::my-config/orders/prod.json5',
    });
  });

  it('adds s3:GetObjectVersion for a versionId (S3 authorises a read by version with it)', () => {
    expect(one(fromS3({ bucket: 'cfg-bucket', key: 'a.json5' }, { versionId: 'v1' }))).toEqual({
      Sid: 'S3CfgBucketAJson5',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: 'arn:aws:s3:::cfg-bucket/a.json5',
    });
  });

  it('grants ssm:GetParametersByPath on the path without its trailing slash, in any region and account', () => {
    expect(one(fromSsm('/orders/prod/'))).toEqual({
      Sid: 'SsmOrdersProd',
      Effect: 'Allow',
      Action: 'ssm:GetParametersByPath',
      Resource: 'arn:aws:ssm:*:*:parameter/orders/prod',
    });
    expect(one(fromSsm('/orders/prod')).Resource).toBe('arn:aws:ssm:*:*:parameter/orders/prod');
  });

  it('grants the root path as parameter/ and says that it is every parameter', () => {
    const { statements, notes } = policyOf([fromSsm('/')]);
    expect(statements).toEqual([
      {
        Sid: 'SsmRoot',
        Effect: 'Allow',
        Action: 'ssm:GetParametersByPath',
        Resource: 'arn:aws:ssm:*:*:parameter/',
      },
    ]);
    expect(notes[0]).toMatchObject({ subject: 'ssm:/', text: expect.stringContaining('every parameter') });
  });

  it('grants a secret named by name with the six characters AWS appends to its ARN', () => {
    expect(one(fromSecret('orders/prod/db'), { region: 'eu-west-1', account: '123456789012' })).toEqual({
      Sid: 'SecretOrdersProdDb',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/prod/db-??????',
    });
  });

  it('grants a secret named by its full ARN as given, whatever --region and --account say', () => {
    const arn = 'arn:aws:secretsmanager:us-east-2:111122223333:secret:orders/db-AbC123';
    expect(one(fromSecret(arn), { region: 'eu-west-1', account: '123456789012' })).toEqual({
      Sid: 'SecretOrdersDb',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: arn,
    });
  });

  it('completes a partial ARN (the name without its suffix) with the six characters', () => {
    const partial = 'arn:aws:secretsmanager:us-east-2:111122223333:secret:orders/db';
    expect(one(fromSecret(partial)).Resource).toBe(`${partial}-??????`);
  });

  it('grants the two AppConfigData actions on a profile named by IDs', () => {
    const { statements, notes } = policyOf([fromAppConfig('abc1234/def5678/ghi9012')], {
      region: 'eu-west-1',
      account: '123456789012',
    });
    expect(statements).toEqual([
      {
        Sid: 'AppConfigAbc1234Def5678Ghi9012',
        Effect: 'Allow',
        Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
        Resource:
          'arn:aws:appconfig:eu-west-1:123456789012:application/abc1234/environment/def5678/configuration/ghi9012',
      },
    ]);
    expect(notes).toEqual([]);
  });

  it('puts * in place of each AppConfig name, with a note that says how to find the IDs', () => {
    const { statements, notes } = policyOf([fromAppConfig('orders/abc1234/settings')]);
    expect(statements[0]).toMatchObject({
      Resource: 'arn:aws:appconfig:*:*:application/*/environment/abc1234/configuration/*',
    });
    expect(notes).toHaveLength(1);
    expect(notes[0]?.subject).toBe('appconfig:orders/abc1234/settings');
    expect(notes[0]?.text).toContain('the application "orders", the profile "settings" are names');
    expect(notes[0]?.text).toContain(`aws appconfig list-applications --query "Items[?Name=='orders'].Id"`);
    expect(notes[0]?.text).toContain('list-configuration-profiles --application-id APP_ID');
    expect(notes[0]?.text).not.toContain('list-environments');
  });

  it.each([
    ['abc1234', true],
    ['1a2b3c4', true],
    ['staging', false],
    ['default', false],
    ['abc123', false],
    ['Abc1234', false],
    ['prod', false],
  ])('takes %s as an AppConfig ID: %s', (value, id) => {
    expect(isAppConfigId(value)).toBe(id);
  });

  it('grants nothing for files, env variables and objects', () => {
    const local = [fromFile('config.json5'), fromEnv({ prefix: 'APP_' }), fromObject({ a: 1 })];
    expect(planPolicy(local, {})).toEqual({ statements: [], notes: [] });
  });
});

describe('regions, accounts and partitions', () => {
  it('uses --region and --account where a source names none', () => {
    expect(one(fromSsm('/a/b/'), { region: 'eu-west-1', account: '123456789012' }).Resource).toBe(
      'arn:aws:ssm:eu-west-1:123456789012:parameter/a/b',
    );
  });

  it("lets a source's own region win over --region, for its statement only", () => {
    const { statements } = policyOf([fromSsm('/a/', { region: 'us-east-1' }), fromSsm('/b/')], {
      region: 'eu-west-1',
    });
    expect(statements.map((s) => s.Resource)).toEqual([
      'arn:aws:ssm:us-east-1:*:parameter/a',
      'arn:aws:ssm:eu-west-1:*:parameter/b',
    ]);
  });

  it.each([
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['eu-central-1', 'aws'],
  ])('writes a region %s in the %s partition, S3 included', (region, partition) => {
    expect(one(fromSecret('db'), { region }).Resource).toBe(
      `arn:${partition}:secretsmanager:${region}:*:secret:db-??????`,
    );
    expect(one(fromS3('s3://cfg-bucket/k', { region })).Resource).toBe(`arn:${partition}:s3:::cfg-bucket/k`);
  });
});

describe('statements and their Sids', () => {
  it('keeps the sources order, one statement per remote layer', () => {
    const { statements } = policyOf([
      fromFile('config.json5'),
      fromSecret('db'),
      fromS3('s3://cfg-bucket/a.json5'),
      fromEnv({ prefix: 'APP_' }),
      fromSsm('/app/'),
    ]);
    expect(statements.map((s) => s.Sid)).toEqual(['SecretDb', 'S3CfgBucketAJson5', 'SsmApp']);
  });

  it('writes one statement for two layers that read the same thing', () => {
    const { statements } = policyOf([fromS3('s3://cfg-bucket/a.json5'), fromS3('s3://cfg-bucket/a.json5')]);
    expect(statements).toHaveLength(1);
  });

  it('numbers a Sid two different layers would share, and keeps Sids to letters and digits', () => {
    const { statements } = policyOf([fromSsm('/a-b/'), fromSsm('/a/b/'), fromSsm('/a_b/')]);
    const sids = statements.map((s) => s.Sid);
    expect(sids).toEqual(['SsmAB', 'SsmAB2', 'SsmAB3']);
    for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('bounds a Sid made from a long key', () => {
    const sid = one(fromS3(`s3://cfg-bucket/${'segment/'.repeat(100)}x`)).Sid;
    expect(sid.length).toBeLessThanOrEqual(64);
    expect(sid.startsWith('S3CfgBucketSegment')).toBe(true);
  });

  it('escapes the characters IAM reads as wildcards or variables in an S3 key', () => {
    expect(one(fromS3('s3://cfg-bucket/a*b?c$d.json5')).Resource).toBe(
      'arn:aws:s3:::cfg-bucket/a${*}b${?}c${$}d.json5',
    );
  });
});

describe('what the policy cannot see, said in notes', () => {
  it('says a user-written source reads what strataconf cannot see, and grants it nothing', () => {
    const mine: Source = { name: 'vault:orders', load: async () => ({}) };
    const { statements, notes } = policyOf([mine]);
    expect(statements).toEqual([]);
    expect(notes).toEqual([
      { subject: 'vault:orders', text: expect.stringContaining('strataconf did not build') },
    ]);
  });

  it('grants a disabled remote layer nothing, and says so', () => {
    const { statements, notes } = policyOf([fromSsm('/a/', { enabled: false })]);
    expect(statements).toEqual([]);
    expect(notes).toEqual([{ subject: 'ssm:/a/', text: expect.stringContaining('enabled: false') }]);
  });

  it('reads the source by its descriptor, not its name', () => {
    expect(one(fromSsm('/orders/prod/', { name: 's3://looks-like/s3' }))).toMatchObject({
      Action: 'ssm:GetParametersByPath',
    });
  });

  it('offers s3:ListBucket on each bucket, only for the layers keys', () => {
    const { notes } = policyOf([
      fromS3('s3://cfg-bucket/base.json5'),
      fromS3('s3://cfg-bucket/prod.json5'),
      fromS3('s3://other-bucket/x.json5'),
    ]);
    const list = notes.filter((n) => n.text.includes('s3:ListBucket'));
    expect(list.map((n) => n.subject)).toEqual([
      's3://cfg-bucket/base.json5, s3://cfg-bucket/prod.json5',
      's3://other-bucket/x.json5',
    ]);
    expect(list[0]?.text).toContain('403');
    expect(list[0]?.statements?.map(jsonStatement)).toEqual([
      {
        Sid: 'S3ListCfgBucket',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::cfg-bucket',
        Condition: { StringEquals: { 's3:prefix': ['base.json5', 'prod.json5'] } },
      },
    ]);
  });

  it('offers kms:Decrypt for SSM and Secrets Manager only through those services', () => {
    const { notes } = policyOf([fromSsm('/app/'), fromSecret('db')], {
      region: 'eu-west-1',
      account: '123456789012',
    });
    expect(notes).toHaveLength(1);
    expect(notes[0]?.subject).toBe('ssm:/app/, secret:db');
    expect(notes[0]?.text).toContain('customer managed KMS key');
    expect(notes[0]?.text).toContain('aws/ssm, aws/secretsmanager need nothing');
    expect(notes[0]?.statements?.map(jsonStatement)).toEqual([
      {
        Sid: 'KmsDecrypt',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:eu-west-1:123456789012:key/KEY_ID',
        Condition: {
          StringLike: {
            'kms:ViaService': ['ssm.eu-west-1.amazonaws.com', 'secretsmanager.eu-west-1.amazonaws.com'],
          },
        },
      },
    ]);
  });

  it('gives the notes Sids no statement of the policy has', () => {
    const plan = planPolicy(
      [fromSsm('/kms/decrypt/'), fromS3('s3://list/x'), fromS3('s3://list-bucket/x')],
      {},
    );
    const sids = [...plan.statements, ...plan.notes.flatMap((n) => n.statements ?? [])].map((s) => s.sid);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it('keeps the optional statements in the notes, out of the policy', () => {
    const { statements, notes } = policyOf([fromS3('s3://cfg-bucket/a.json5')]);
    expect(JSON.stringify(statements)).not.toContain('ListBucket');
    expect(notes.map((n) => n.statements?.[0]?.actions)).toEqual([['s3:ListBucket'], ['kms:Decrypt']]);
  });
});
