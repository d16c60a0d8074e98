import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args.js';
import { parseSourcesVariable } from '../../src/cli/sources.js';
import { type LocalAws, startLocalAws } from '../../src/testing.js';
import { cli } from './run-cli.js';

/** SSM and Secrets Manager layers named on the command line and in STRATACONF_SOURCES. */

describe('ssm: and secret: source forms', () => {
  it('parses them in STRATACONF_SOURCES, optional or required (!)', () => {
    expect(
      parseSourcesVariable('ssm:/orders/prod/,ssm!:/orders/base,secret:orders/db,secret!:arn:aws:x'),
    ).toEqual([
      { kind: 'ssm', path: '/orders/prod/', optional: true },
      { kind: 'ssm', path: '/orders/base', optional: false },
      { kind: 'secret', id: 'orders/db', optional: true },
      { kind: 'secret', id: 'arn:aws:x', optional: false },
    ]);
  });

  it('takes every STRATACONF_SOURCES form as --source, in order with the other source flags', () => {
    const argv = [
      '--file',
      'a.json5',
      '--source',
      'file?:b.json5',
      '--source',
      's3!://bk/k',
      '--env',
      'APP_',
    ];
    argv.push('--source', 'env:X_', '--source', 'ssm:/p/', '--source', 'secret!:db', '--source', 's3://bk/o');
    expect(parseCommandArgs('print', argv).stack.specs).toEqual([
      { kind: 'file', path: 'a.json5', optional: false },
      { kind: 'file', path: 'b.json5', optional: true },
      { kind: 's3', target: 's3://bk/k', optional: false },
      { kind: 'env', prefix: 'APP_' },
      { kind: 'env', prefix: 'X_' },
      { kind: 'ssm', path: '/p/', optional: true },
      { kind: 'secret', id: 'db', optional: false },
      { kind: 's3', target: 's3://bk/o', optional: true },
    ]);
  });

  it('parses #at=PATH after a secret id, optional or required', () => {
    expect(
      parseSourcesVariable('secret:orders/db-password#at=db.password,secret!:arn:aws:secretsmanager:x#at=db'),
    ).toEqual([
      { kind: 'secret', id: 'orders/db-password', optional: true, at: 'db.password' },
      { kind: 'secret', id: 'arn:aws:secretsmanager:x', optional: false, at: 'db' },
    ]);
  });

  it.each([
    [['print', '--source', 'secret:orders/db#path=db'], 'has "path=db" after #; expected at=PATH'],
    [['print', '--source', 'secret:orders/db#at='], 'has no dotted path after #at= (e.g. #at=db.password)'],
    [['print', '--source', 'secret:orders/db#at=db..password'], 'has no dotted path after #at='],
    [['print', '--source', 'secret!:#at=db'], 'has no secret id before #'],
  ])('%j is a usage error naming what is wrong after #', async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it.each([
    [
      ['print', '--source', 'ssm:orders/prod'],
      '--source "ssm:orders/prod" needs a parameter path starting with /',
    ],
    [['print', '--source', 'secret:'], '--source "secret:" has nothing after its kind'],
    [['print', '--source', 'vault:x'], '--source "vault:x" is not a source; expected file:PATH'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('rejects a bad ssm entry in STRATACONF_SOURCES', async () => {
    const result = await cli(['print'], { env: { STRATACONF_SOURCES: 'file:base.json5,ssm!:' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('entry 2 ("ssm!:") has nothing after its kind');
  });
});

describe('the CLI with SSM and Secrets Manager layers (startLocalAws)', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({
      ssm: { '/orders/prod/db/host': 'db.ssm', '/orders/prod/db/user': 'orders' },
      secrets: { 'orders/db': { password: 'pw-PLANTED-cli' }, 'orders/db-password': 'plain-PLANTED-cli' },
    });
  });
  afterAll(() => aws.close());
  beforeEach(() => {
    for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
  });

  it('prints parameters and a secret merged in order, the secret redacted', async () => {
    const result = await cli(['print', '--source', 'ssm:/orders/prod/', '--source', 'secret!:orders/db']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      db: { host: 'db.ssm', user: 'orders' },
      password: '[redacted]',
    });
  });

  it('places a secret under the path given with #at=, a plain-string secret too', async () => {
    const result = await cli([
      'print',
      '--source',
      'ssm:/orders/prod/',
      '--source',
      'secret!:orders/db#at=db.credentials',
      '--source',
      'secret!:orders/db-password#at=db.password',
    ]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      db: { host: 'db.ssm', user: 'orders', credentials: '[redacted]', password: '[redacted]' },
    });
    const shown = await cli([
      'get',
      'db.password',
      '--source',
      'secret!:orders/db-password#at=db.password',
      '--show-secrets',
    ]);
    expect(shown).toMatchObject({ code: 0, stdout: 'plain-PLANTED-cli\n' });
  });

  it('reads the same stack from STRATACONF_SOURCES', async () => {
    const env = { STRATACONF_SOURCES: 'ssm!:/orders/prod/,secret:orders/db' };
    const result = await cli(['get', 'db.host'], { env });
    expect(result).toMatchObject({ code: 0, stdout: 'db.ssm\n' });
  });

  it('exits 1 naming the source when a required path has no parameter', async () => {
    const result = await cli(['validate', '--source', 'ssm!:/orders/none/']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ssm:/orders/none/ is unavailable: no parameter under /orders/none/');
  });

  it('drops a missing optional secret with a warning on stderr', async () => {
    const result = await cli(['print', '--source', 'ssm:/orders/prod/', '--source', 'secret:orders/none']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('dropped optional source secret:orders/none: secret not found');
  });
});
