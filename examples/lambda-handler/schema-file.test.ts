import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import JSON5 from 'json5';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../../test/cli/run-cli.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const LAYERS = ['config.json5', 's3/production.json5'];
const REGENERATE =
  'CONFIG_S3_URI=s3://my-config/k.json5 node --import tsx dist/cli.js schema --loader examples/lambda-handler/config.ts --out examples/lambda-handler/config.schema.json';

beforeEach(() => {
  // config.ts reads it at import (the deploy sets it); nothing is fetched.
  vi.stubEnv('CONFIG_S3_URI', 's3://my-config/orders/production.json5');
});

describe('the example layers and their JSON Schema', () => {
  it('config.schema.json is what strataconf schema makes of the schema today', async () => {
    const generated = await cli(['schema', '--loader', 'config.ts'], { cwd: here });
    expect(generated.code).toBe(0);
    const committed = JSON.parse(await readFile(`${here}config.schema.json`, 'utf8'));
    expect(committed, `config.schema.json is stale; regenerate it: ${REGENERATE}`).toEqual(
      JSON.parse(generated.stdout),
    );
  });

  it.each(LAYERS)('%s points its $schema at it, and passes it as an editor checks it', async (file) => {
    const layer = JSON5.parse(await readFile(`${here}${file}`, 'utf8')) as { $schema?: string };
    expect(new URL(layer.$schema ?? '', new URL(file, `file://${here}`)).pathname).toBe(
      `${here}config.schema.json`,
    );
    const schema = JSON.parse(await readFile(`${here}config.schema.json`, 'utf8'));
    const validate = new Ajv2020({ strictTypes: false }).compile(schema);
    expect(validate(layer), JSON.stringify(validate.errors)).toBe(true);
  });

  it('passes strataconf check, the CI step for layers before they are uploaded', async () => {
    const result = await cli(['check', ...LAYERS, '--loader', 'config.ts'], { cwd: here });
    expect(result).toEqual({ code: 0, stdout: 'ok: config.json5\nok: s3/production.json5\n', stderr: '' });
  });
});
