import { describe, expect, it } from 'vitest';
import { cli, leaked } from './run-cli.js';

const PROD = ['--file', 'base.json5', '--file', 'prod.json5'];

describe('strataconf get', () => {
  it('prints a string raw, without quotes', async () => {
    const result = await cli(['get', 'db.host', ...PROD]);
    expect(result).toEqual({ code: 0, stdout: 'prod-db.internal\n', stderr: expect.any(String) });
  });

  it('prints numbers, booleans, arrays and objects as JSON', async () => {
    expect((await cli(['get', 'db.port', ...PROD])).stdout).toBe('5432\n');
    expect((await cli(['get', 'features.beta', ...PROD])).stdout).toBe('true\n');
    expect(JSON.parse((await cli(['get', 'tags', ...PROD])).stdout)).toEqual(['orders']);
    expect(JSON.parse((await cli(['get', 'features', ...PROD])).stdout)).toEqual({ beta: true, retries: 2 });
  });

  it('reads array items by index, dotted or bracketed', async () => {
    expect((await cli(['get', 'tags.0', ...PROD])).stdout).toBe('orders\n');
    expect((await cli(['get', 'tags[0]', ...PROD])).stdout).toBe('orders\n');
  });

  it('exits 1 with MISSING_KEY for a path the config does not have', async () => {
    const result = await cli(['get', 'db.user', ...PROD]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('MISSING_KEY: the config has no value at db.user');
  });

  it('redacts a secret value, and secrets inside an object it prints', async () => {
    const secret = await cli(['get', 'db.password', ...PROD]);
    expect(secret.stdout).toBe('[redacted]\n');
    const db = await cli(['get', 'db', ...PROD]);
    expect(JSON.parse(db.stdout)).toEqual({ host: 'prod-db.internal', port: 5432, password: '[redacted]' });
    expect(leaked(secret)).toEqual([]);
    expect(leaked(db)).toEqual([]);
  });

  it('prints the secret with --show-secrets', async () => {
    expect((await cli(['get', 'db.password', ...PROD, '--show-secrets'])).stdout).toBe(
      'hunter2-PLANTED-7f3a\n',
    );
  });

  it.each([
    [[], 'get needs a PATH'],
    [['a', 'b'], 'get takes one PATH'],
    [['db..host'], 'is not a dotted path'],
  ])('exits 2 on bad PATH arguments %j', async (paths, message) => {
    const result = await cli(['get', ...paths, ...PROD]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: strataconf get PATH');
  });
});
