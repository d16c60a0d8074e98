import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import JSON5 from 'json5';
import { fromFile, fromObject, loadConfig, resetConfigCache } from 'strataconf';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cli } from '../../test/cli/run-cli.js';
import { schema } from './schema.js';

/**
 * The example's layers written in YAML (yaml/config.yaml, yaml/production.yaml): the same layers as
 * config.json5 and s3/production.json5, so a team can keep either; they pass the editor's schema
 * and `strataconf check`, and load to the same config.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
const PAIRS = [
  ['config.json5', 'yaml/config.yaml'],
  ['s3/production.json5', 'yaml/production.yaml'],
] as const;
const read = (file: string) => readFile(`${here}${file}`, 'utf8');
const secret = fromObject({ db: { password: 'from-secrets-manager' } }, { name: 'secret' });

afterEach(() => resetConfigCache());

describe('the example layers in YAML', () => {
  it.each(PAIRS)('%s and %s hold the same layer', async (json5File, yamlFile) => {
    // The one difference: the YAML blueprint names the stage's object STAGE.yaml.
    const json5Text = (await read(json5File)).replace('STAGE.json5)', 'STAGE.yaml)');
    const { $schema: _editorsOnly, ...json5Layer } = JSON5.parse(json5Text);
    expect(parseYaml(await read(yamlFile))).toEqual(json5Layer);
  });

  it.each(PAIRS.map(([, file]) => file))(
    '%s names the schema on its first line and passes it',
    async (file) => {
      const text = await read(file);
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../config.schema.json');
      const validate = new Ajv2020({ strictTypes: false }).compile(
        JSON.parse(await read('config.schema.json')),
      );
      expect(validate(parseYaml(text)), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it('passes strataconf check', async () => {
    const files = PAIRS.map(([, file]) => file);
    // config.ts reads it at import (the deploy sets it); nothing is fetched.
    vi.stubEnv('CONFIG_S3_URI', 's3://my-config/orders/production.yaml');
    const result = await cli(['check', ...files, '--loader', 'config.ts'], { cwd: here });
    expect(result).toEqual({
      code: 0,
      stdout: 'ok: yaml/config.yaml\nok: yaml/production.yaml\n',
      stderr: '',
    });
  });

  it('loads to the same config as the JSON5 layers, each value from the same layer', async () => {
    const load = (files: readonly string[]) =>
      loadConfig({ schema, sources: [...files.map((f) => fromFile(`${here}${f}`)), secret] });
    const fromJson5 = await load(PAIRS.map(([file]) => file));
    resetConfigCache();
    const fromYaml = await load(PAIRS.map(([, file]) => file));
    expect(fromYaml).toEqual(fromJson5);
    expect(fromYaml.service.stage).toBe('production');
  });
});
