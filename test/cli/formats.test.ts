import { describe, expect, it } from 'vitest';
import { envPrefix, toEnvLines } from '../../src/cli/formats.js';

describe('toEnvLines (print --format env)', () => {
  it('names each leaf by the prefix and its path in SNAKE_CASE joined by __', () => {
    const { lines } = toEnvLines({ threadPool: { size: 4 }, db: { host: 'h', useTls: true } }, 'APP_');
    expect(lines).toEqual(['APP_THREAD_POOL__SIZE=4', 'APP_DB__HOST=h', 'APP_DB__USE_TLS=true']);
  });

  it('writes arrays, objects and null as JSON, quoted for a POSIX shell', () => {
    const { lines } = toEnvLines({ tags: ['a', 'b'], empty: {}, none: null }, 'X_');
    expect(lines).toEqual([`X_TAGS='["a","b"]'`, "X_EMPTY='{}'", 'X_NONE=null']);
  });

  it("quotes strings with spaces or quotes, escaping ' the way sh reads it", () => {
    const { lines } = toEnvLines({ motto: "it's a test", path: '/var/lib:x' }, 'X_');
    expect(lines).toEqual([`X_MOTTO='it'\\''s a test'`, 'X_PATH=/var/lib:x']);
  });

  it('leaves out keys that no variable name can carry, and reports them', () => {
    const { lines, skipped } = toEnvLines(
      { 'a.b': 1, 'with space': 2, a__b: 3, ok: { 'x y': 4, z: 5 } },
      'X_',
    );
    expect(lines).toEqual(['X_OK__Z=5']);
    expect(skipped).toEqual(['a.b', 'with space', 'a__b', 'ok.x y']);
  });
});

describe('toEnvLines with secrets', () => {
  it('never writes a secret as a value: a comment line says it was left out', () => {
    const secret = (_value: unknown, path: readonly string[]) => path.includes('password');
    const { lines } = toEnvLines({ db: { host: 'h', password: 'pw' }, password: ['a'] }, 'APP_', secret);
    expect(lines).toEqual([
      'APP_DB__HOST=h',
      '# APP_DB__PASSWORD is secret: left out (--show-secrets prints it)',
      '# APP_PASSWORD is secret: left out (--show-secrets prints it)',
    ]);
  });
});

describe('envPrefix', () => {
  it('takes --prefix first, else the prefix of the last env source', () => {
    expect(envPrefix('MY_', ['env:APP_'])).toBe('MY_');
    expect(envPrefix(undefined, ['env:A_', 'base.json5', 'env:B_', 'prod.json5'])).toBe('B_');
  });

  it('is a usage error with neither, or with a prefix no variable name starts with', () => {
    expect(() => envPrefix(undefined, ['base.json5'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => envPrefix('1-X', [])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
