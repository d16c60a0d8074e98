import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromEnv, fromFile, fromObject, loadConfig, resetConfigCache, type Source } from '../../src/index.js';
import { configError, tempDir } from '../helpers.js';
import { CASES, json5Text, jsonText, untouched, yamlText } from './pollution.js';

// Every forbidden key, at every depth, from every source kind this suite can reach without S3 or the
// CLI (those have their own files), including inside $default and $override markers.

const dir = tempDir('pollution');
type Shape = (typeof CASES)[number][2];
let n = 0;
const fileSource = (ext: string, text: typeof jsonText) => (shape: Shape, key: string) => {
  const path = join(dir, `${n++}.${ext}`);
  writeFileSync(path, text(shape, key));
  return fromFile(path);
};

const kinds: [string, (shape: Shape, key: string) => Source][] = [
  ['a JSON file', fileSource('json', jsonText)],
  ['a JSON5 file written as JSON', fileSource('json5', jsonText)],
  ['a JSON5 file in JSON5 syntax', fileSource('json5', json5Text)],
  ['a YAML file written as JSON (flow style)', fileSource('yaml', jsonText)],
  ['a YAML file in block style', fileSource('yml', yamlText)],
  ['fromObject', (shape, key) => fromObject(JSON.parse(jsonText(shape, key)))],
];

afterEach(() => {
  resetConfigCache();
  untouched();
});

describe.each(kinds)('UNSAFE_KEY from %s', (_kind, make) => {
  it.each(CASES)('refuses %s %s', async (key, _where, shape) => {
    const base = fromObject({ outer: { $default: { fine: true } } }, { name: 'base' });
    const err = await configError(loadConfig({ sources: [base, make(shape, key)] }));
    expect(err.code).toBe('UNSAFE_KEY');
    expect((err.details.path as string[]).at(-1)).toBe(key);
    untouched();
  });
});

describe('UNSAFE_KEY from env variables', () => {
  it.each([
    'APP___PROTO____X',
    'APP___proto____polluted',
    'APP_CONSTRUCTOR__PROTOTYPE__POLLUTED',
    'APP_A__B__CONSTRUCTOR',
    'APP_PROTOTYPE',
  ])('refuses %s', async (variable) => {
    const err = await configError(
      loadConfig({ sources: [fromEnv({ prefix: 'APP_', env: { [variable]: 'yes' } })] }),
    );
    expect(err.code).toBe('UNSAFE_KEY');
    expect(err.details.variable).toBe(variable);
  });

  it.each(['__proto__.polluted', 'a.constructor', 'prototype'])('refuses the map path %s', async (path) => {
    const err = await configError(
      loadConfig({ sources: [fromEnv({ map: { [path]: 'X' }, env: { X: 'yes' } })] }),
    );
    expect(err.code).toBe('UNSAFE_KEY');
  });
});

describe('UNSAFE_KEY from an env value parsed as a JSON5 object', () => {
  it.each(CASES)('refuses %s %s', async (key, _where, shape) => {
    const env = { APP_SETTINGS: json5Text(shape, key) };
    const base = fromObject({ settings: { fine: true } }, { name: 'base' });
    const err = await configError(loadConfig({ sources: [base, fromEnv({ prefix: 'APP_', env })] }));
    expect(err.code).toBe('UNSAFE_KEY');
    expect(err.details.source).toBe('env:APP_');
    expect((err.details.path as string[]).slice(0, 1)).toEqual(['settings']);
  });
});
