import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { explainConfig, fromFile, loadConfig, resetConfigCache } from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { configError, fixture } from '../helpers.js';
import { sourceContract } from './contract.js';

sourceContract({ kind: 'fromFile', make: () => fromFile(fixture('contract', 'app.json5')) });

afterEach(() => resetConfigCache());

const tmp = () => mkdtempSync(join(tmpdir(), 'strataconf-file-'));

describe('fromFile', () => {
  it('is named by the path as given and is required by default', () => {
    const source = fromFile('config/app.json5');
    expect(source.name).toBe('config/app.json5');
    expect(source.optional).toBe(false);
  });

  it('resolves a relative path against the working directory', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(fixture('contract'));
    expect(await loadConfig({ sources: [fromFile('app.json5')] })).toEqual({
      app: { name: 'contract', port: 8080 },
    });
  });

  it('accepts a file: URL', async () => {
    const config = await loadConfig({ sources: [fromFile(pathToFileURL(fixture('contract', 'app.json5')))] });
    expect(config).toEqual({ app: { name: 'contract', port: 8080 } });
  });

  describe('named by a file: URL', () => {
    it('is named relative to the working directory when the file lies below it', async () => {
      vi.spyOn(process, 'cwd').mockReturnValue(fixture());
      const source = fromFile(pathToFileURL(fixture('contract', 'app.json5')));
      expect(source.name).toBe(join('contract', 'app.json5'));
      const config = await loadConfig({ sources: [source] });
      expect(explainConfig(config).map((row) => row.source)).toEqual([
        join('contract', 'app.json5'),
        join('contract', 'app.json5'),
      ]);
    });

    it('is named by its absolute path, not the URL, when the file lies outside it', () => {
      vi.spyOn(process, 'cwd').mockReturnValue(fixture('contract'));
      const file = fixture('parse-error', 'broken.json');
      expect(fromFile(pathToFileURL(file)).name).toBe(file);
    });

    it('keeps the absolute path in details.file and the given name when one is given', async () => {
      vi.spyOn(process, 'cwd').mockReturnValue(fixture());
      const file = fixture('contract', 'missing.json5');
      const err = await configError(loadConfig({ sources: [fromFile(pathToFileURL(file))] }));
      expect(err.message).toBe(`${join('contract', 'missing.json5')} is unavailable: file not found`);
      expect(err.details).toMatchObject({ source: join('contract', 'missing.json5'), file });
      expect(fromFile(pathToFileURL(file), { name: 'app config' }).name).toBe('app config');
    });

    it('drops a missing optional one with a warning that names it short and carries its path', async () => {
      vi.spyOn(process, 'cwd').mockReturnValue(fixture());
      const file = fixture('contract', 'local.json5');
      const logger = captureWarnings();
      await loadConfig({ logger, sources: [fromFile(pathToFileURL(file), { optional: true })] });
      expect(logger.warnings.map((w) => [w.message, w.details])).toEqual([
        [
          `dropped optional source ${join('contract', 'local.json5')}: file not found`,
          expect.objectContaining({ code: 'SOURCE_DROPPED', source: join('contract', 'local.json5'), file }),
        ],
      ]);
    });

    it('shares the cache with the same file named by its path', async () => {
      vi.spyOn(process, 'cwd').mockReturnValue(fixture());
      const url = pathToFileURL(fixture('contract', 'app.json5'));
      const first = await loadConfig({ sources: [fromFile(url)] });
      expect(await loadConfig({ sources: [fromFile(fixture('contract', 'app.json5'))] })).toBe(first);
    });
  });

  it('names the file in details.file when a file does not parse', async () => {
    const file = fixture('parse-error', 'broken.json');
    const err = await configError(loadConfig({ sources: [fromFile(file, { name: 'broken' })] }));
    expect(err.details).toMatchObject({ source: 'broken', file });
  });

  it('drops a missing optional file with one warning naming it', async () => {
    const logger = captureWarnings();
    const config = await loadConfig({
      logger,
      sources: [
        fromFile(fixture('contract', 'app.json5')),
        fromFile('does-not-exist.json5', { optional: true }),
      ],
    });
    expect(config).toEqual({ app: { name: 'contract', port: 8080 } });
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'dropped optional source does-not-exist.json5: file not found',
    ]);
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
  });

  it('fails with SOURCE_UNAVAILABLE when a required file is missing', async () => {
    const err = await configError(loadConfig({ sources: [fromFile('missing.json')] }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toBe('missing.json is unavailable: file not found');
    expect(err.details).toMatchObject({ source: 'missing.json', reason: 'file not found' });
  });

  it.each([
    ['broken.json', 'broken.json: invalid JSON at line 4, column 14 (invalid character)', 4, 14],
    ['broken.json5', 'broken.json5: invalid JSON5 at line 4, column 11 (invalid character)', 4, 11],
    ['empty.json5', 'empty.json5: invalid JSON5 at line 1, column 1 (invalid end of input)', 1, 1],
    ['array.json', 'array.json: the top level must be an object', 1, 1],
  ])(
    'fails %s with PARSE_ERROR, its name, line and column, and no content',
    async (file, message, line, column) => {
      const err = await configError(
        loadConfig({ sources: [fromFile(fixture('parse-error', file), { name: file })] }),
      );
      expect(err.code).toBe('PARSE_ERROR');
      expect(err.message).toBe(message);
      expect(err.details).toMatchObject({ source: file, line, column });
      expect(JSON.stringify(err)).not.toMatch(/hunter2|sk_live/);
    },
  );

  it('fails a corrupt optional file too: it never falls back silently', async () => {
    const source = fromFile(fixture('parse-error', 'broken.json5'), { optional: true });
    expect((await configError(loadConfig({ sources: [source] }))).code).toBe('PARSE_ERROR');
  });

  it('reads JSON5 syntax only from a file that is not .json', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.json'), '{ a: 1, }');
    writeFileSync(join(dir, 'a.conf'), '{ a: 1, }');
    expect((await configError(loadConfig({ sources: [fromFile(join(dir, 'a.json'))] }))).code).toBe(
      'PARSE_ERROR',
    );
    expect(await loadConfig({ sources: [fromFile(join(dir, 'a.conf'))] })).toEqual({ a: 1 });
  });

  it('skips a byte order mark', async () => {
    expect(await loadConfig({ sources: [fromFile(fixture('parse-error', 'bom.json'))] })).toEqual({
      bom: true,
    });
  });

  it('refuses bytes that are not UTF-8', async () => {
    const file = join(tmp(), 'latin1.json');
    writeFileSync(file, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]));
    const err = await configError(loadConfig({ sources: [fromFile(file, { name: 'latin1.json' })] }));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toBe('latin1.json: the file is not valid UTF-8');
  });

  it('refuses a file above maxBytes without reading it into config', async () => {
    const file = join(tmp(), 'big.json');
    writeFileSync(file, JSON.stringify({ blob: 'x'.repeat(2048) }));
    const err = await configError(
      loadConfig({ sources: [fromFile(file, { name: 'big.json', maxBytes: 1024 })] }),
    );
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toMatch(/^big\.json: the file is \d+ bytes, above the limit of 1024$/);
  });

  it('names a directory where a file is expected', async () => {
    const err = await configError(loadConfig({ sources: [fromFile(tmp(), { name: 'dir.json' })] }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toBe('dir.json is unavailable: is a directory');
  });

  it.each(['proto.json', 'constructor.json5', 'in-default.json5', 'in-array.json'])(
    'fails %s with UNSAFE_KEY and leaves Object.prototype untouched',
    async (file) => {
      const err = await configError(
        loadConfig({ sources: [fromFile(fixture('proto-pollution', file), { name: file })] }),
      );
      expect(err.code).toBe('UNSAFE_KEY');
      expect(err.details.source).toBe(file);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    },
  );

  it('refuses a URL that is not a file URL at once', async () => {
    expect((await configError(() => fromFile(new URL('https://example.com/a.json')))).code).toBe('USAGE');
  });
});
