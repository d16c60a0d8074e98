import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const LOADER = fileURLToPath(new URL('../../fixtures/cli/loader-iam.ts', import.meta.url));

/** The statements of a JSON policy printed on stdout. */
function statementsOf(stdout: string): Record<string, unknown>[] {
  const policy = JSON.parse(stdout) as { Version: string; Statement: Record<string, unknown>[] };
  expect(policy.Version).toBe('2012-10-17');
  return policy.Statement;
}

describe('strataconf iam: the policy for the sources a command line names', () => {
  it('grants an ssm:/path/ spec GetParametersByPath on the path, nothing else', async () => {
    const result = await cli(['iam', '--source', 'ssm:/a/b/']);
    expect(result.code).toBe(0);
    expect(statementsOf(result.stdout)).toEqual([
      {
        Sid: 'SsmAB',
        Effect: 'Allow',
        Action: 'ssm:GetParametersByPath',
        Resource: 'arn:aws:ssm:*:*:parameter/a/b',
      },
    ]);
  });

  it('grants a secret:ARN spec GetSecretValue on that ARN, in its own region and account', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-Ab12Cd';
    const result = await cli(['iam', '--source', `secret!:${arn}`, '--region', 'us-east-1']);
    expect(statementsOf(result.stdout)).toEqual([
      { Sid: 'SecretOrdersDb', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: arn },
    ]);
  });

  it('grants an appconfig:app/env/profile spec the two AppConfigData actions, names as *, with a note', async () => {
    const result = await cli([
      'iam',
      '--source',
      'appconfig:orders/prod/settings',
      '--account',
      '123456789012',
    ]);
    expect(statementsOf(result.stdout)).toEqual([
      {
        Sid: 'AppConfigOrdersProdSettings',
        Effect: 'Allow',
        Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
        Resource: 'arn:aws:appconfig:*:123456789012:application/*/environment/*/configuration/*',
      },
    ]);
    expect(result.stderr).toMatch(
      /^strataconf: note: appconfig:orders\/prod\/settings: IAM names AppConfig resources by ID/,
    );
    expect(result.stderr).toContain('replace each * with the ID');
  });

  it('grants --s3 and --required-s3 objects s3:GetObject, and offers s3:ListBucket on stderr only', async () => {
    const result = await cli([
      'iam',
      '--s3',
      's3://cfg-bucket/base.json5',
      '--required-s3',
      's3://cfg-bucket/prod.json5',
    ]);
    expect(statementsOf(result.stdout)).toEqual([
      {
        Sid: 'S3CfgBucketBaseJson5',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::cfg-bucket/base.json5',
      },
      {
        Sid: 'S3CfgBucketProdJson5',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::cfg-bucket/prod.json5',
      },
    ]);
    expect(result.stdout).not.toContain('ListBucket');
    const listing = result.stderr.slice(result.stderr.indexOf('{'), result.stderr.indexOf('\n}\n') + 2);
    expect(JSON.parse(listing)).toEqual({
      Sid: 'S3ListCfgBucket',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::cfg-bucket',
      Condition: { StringEquals: { 's3:prefix': ['base.json5', 'prod.json5'] } },
    });
  });

  it('reads STRATACONF_SOURCES when no source is given', async () => {
    const result = await cli(['iam'], { env: { STRATACONF_SOURCES: 'file:base.json5,ssm!:/x/,env:APP_' } });
    expect(statementsOf(result.stdout).map((s) => s.Resource)).toEqual(['arn:aws:ssm:*:*:parameter/x']);
  });

  it('prints nothing on stdout for a stack without remote layers, says why, and exits 0', async () => {
    const result = await cli(['iam', '--file', 'base.json5', '--env', 'APP_']);
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: expect.stringMatching(
        /^strataconf: note: no remote layer \(S3, SSM, Secrets Manager, AppConfig\): reading this config needs no IAM grant/,
      ),
    });
  });

  it.each([
    [['iam', '--source', 'ssm:/a/', '--format', 'yaml'], '--format must be json, sam or cdk, not "yaml"'],
    [['iam', '--source', 'ssm:/a/', '--region', 'Ireland'], '--region expects a region such as eu-west-1'],
    [['iam', '--source', 'ssm:/a/', '--account', '1234'], '--account expects a 12-digit account ID'],
    [['iam', 'extra', '--source', 'ssm:/a/'], 'iam takes no positional arguments'],
    [['iam'], 'no sources'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });

  it('prints its help with --help', async () => {
    const result = await cli(['iam', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Usage: strataconf iam \[SOURCES\] \[--loader MODULE\] \[--region R\] \[--account A\] \[--format json\|sam\|cdk\]/,
    );
    expect(result.stdout).toContain('--format sam');
  });
});

describe('strataconf iam --loader', () => {
  it('grants each remote layer of the definition exactly its read, in order', async () => {
    const result = await cli([
      'iam',
      '--loader',
      LOADER,
      '--region',
      'eu-west-1',
      '--account',
      '123456789012',
    ]);
    expect(result.code).toBe(0);
    expect(statementsOf(result.stdout)).toEqual([
      {
        Sid: 'S3OrdersConfigProdJson5',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: 'arn:aws:s3:::orders-config/prod.json5',
      },
      {
        Sid: 'SsmOrdersProd',
        Effect: 'Allow',
        Action: 'ssm:GetParametersByPath',
        Resource: 'arn:aws:ssm:eu-west-1:123456789012:parameter/orders/prod',
      },
      {
        Sid: 'SecretOrdersProdDb',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/prod/db-??????',
      },
      {
        Sid: 'AppConfigAbc1234Def5678Ghi9012',
        Effect: 'Allow',
        Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
        Resource:
          'arn:aws:appconfig:eu-west-1:123456789012:application/abc1234/environment/def5678/configuration/ghi9012',
      },
      {
        // Built by "another copy": its region option wins over --region.
        Sid: 'SsmOtherCopy',
        Effect: 'Allow',
        Action: 'ssm:GetParametersByPath',
        Resource: 'arn:aws:ssm:eu-central-1:123456789012:parameter/other-copy',
      },
    ]);
  });

  it('notes what it cannot see: a user-written source, a disabled layer, KMS keys, s3:ListBucket', async () => {
    const { stderr } = await cli(['iam', '--loader', LOADER]);
    const notes = stderr.split('\n').filter((line) => line.startsWith('strataconf: note: '));
    expect(notes.map((line) => line.slice('strataconf: note: '.length).split(':')[0])).toEqual([
      'vault',
      'ssm',
      's3',
      's3',
    ]);
    expect(notes[0]).toContain('vault:orders: a source strataconf did not build');
    expect(notes[1]).toContain('ssm:/orders/canary/: disabled here (enabled: false)');
    expect(notes[2]).toContain('s3://orders-config/prod.json5: without s3:ListBucket');
    expect(notes[3]).toContain('kms:Decrypt');
  });

  it('prints the SAM Policies: block and the CDK statements', async () => {
    const sam = await cli(['iam', '--loader', LOADER, '--format', 'sam']);
    expect(sam.code).toBe(0);
    expect(sam.stdout).toMatch(
      /^Policies:\n {2}- Version: "2012-10-17"\n {4}Statement:\n {6}- Sid: S3OrdersConfigProdJson5\n/,
    );
    expect(sam.stderr).toContain('      s3:prefix:\n        - prod.json5\n');
    const cdk = await cli(['iam', '--loader', LOADER, '--format', 'cdk']);
    expect(cdk.code).toBe(0);
    expect(cdk.stdout).toContain("sid: 'SsmOrdersProd',");
    expect(cdk.stderr).toContain('fn.addToRolePolicy(new iam.PolicyStatement({');
  });
});
