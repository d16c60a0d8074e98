import { describe, expect, it } from 'vitest';
import { parseLayerText } from '../../src/formats/index.js';
import { configError } from '../helpers.js';

/** The YAML format on its own: what a text becomes, and every way it is refused. */

const parse = (text: string) => parseLayerText(text, 'yaml', 'app.yaml');

describe('YAML layers (YAML 1.2, core schema)', () => {
  it('keeps the YAML 1.1 surprises as strings: no, on, yes, off, y and timestamps', async () => {
    const text = 'a: no\nb: on\nc: yes\nd: off\ne: y\nf: 2001-12-14\ng: 2001-12-14T21:59:43.10Z\nh: Norway\n';
    expect(await parse(text)).toEqual({
      a: 'no',
      b: 'on',
      c: 'yes',
      d: 'off',
      e: 'y',
      f: '2001-12-14',
      g: '2001-12-14T21:59:43.10Z',
      h: 'Norway',
    });
  });

  it('reads numbers as 1.2 does: 017 is seventeen, 0o17 octal, 0x1f hex', async () => {
    const text = 'a: 017\nb: 0o17\nc: 0x1f\nd: 1_000\ne: 1.5e3\nf: true\ng: ~\nh: null\ni: .inf\n';
    expect(await parse(text)).toEqual({
      a: 17,
      b: 15,
      c: 31,
      d: '1_000',
      e: 1500,
      f: true,
      g: null,
      h: null,
      i: Infinity,
    });
  });

  it('reads keys as written, and a %YAML 1.1 directive does not bring 1.1 back', async () => {
    expect(await parse('1.50: a\nnull: b\ntrue: c\n"x y": d\n')).toEqual({
      '1.50': 'a',
      null: 'b',
      true: 'c',
      'x y': 'd',
    });
    expect(await parse('%YAML 1.1\n---\nenabled: no\n')).toEqual({ enabled: 'no' });
  });

  it('resolves anchors and aliases, and accepts one leading document marker', async () => {
    const text = '---\ndefaults: &d { retries: 3, hosts: [a, b] }\nprod: *d\nname: &n orders\nalias: *n\n';
    const layer = (await parse(text)) as Record<string, unknown>;
    expect(layer).toEqual({
      defaults: { retries: 3, hosts: ['a', 'b'] },
      prod: { retries: 3, hosts: ['a', 'b'] },
      name: 'orders',
      alias: 'orders',
    });
  });

  it('drops a top-level $schema key, and reads block and flow styles alike', async () => {
    const text =
      '$schema: ./layer.schema.json\ndb:\n  host: x\n  port: 1\nlist:\n  - 1\n  - { a: [2] }\ntext: |\n  two\n  lines\n';
    expect(await parse(text)).toEqual({
      db: { host: 'x', port: 1 },
      list: [1, { a: [2] }],
      text: 'two\nlines\n',
    });
  });

  it('skips a byte order mark', async () => {
    expect(await parse('\uFEFFa: 1\n')).toEqual({ a: 1 });
  });
});

describe('YAML layers that are refused with PARSE_ERROR', () => {
  it.each([
    ['a custom tag (CloudFormation)', 'a: 1\nb: !Ref MyBucket\n', 2, 4, 'custom tags such as !Ref'],
    ['a !!binary value', 'a: !!binary aGk=\n', 1, 4, 'core schema'],
    ['a !!python/object tag', 'a: !!python/object:os.system [rm]\n', 1, 4, 'core schema'],
    ['a !!timestamp tag', 'a: !!timestamp 2001-12-14\n', 1, 4, 'core schema'],
    ['a second document', 'a: 1\n---\nb: 2\n', 2, 1, 'more than one document'],
    ['a duplicate key', 'a: 1\nb: 2\na: 3\n', 3, 1, 'duplicate key'],
    ['two keys written alike (1 and "1")', 'a:\n  1: x\n  "1": y\n', 3, 3, 'duplicate key'],
    ['a merge key', 'base: &b { x: 1 }\nprod:\n  <<: *b\n  y: 2\n', 3, 3, 'a merge key (<<)'],
    ['an alias with no anchor', 'a: *nowhere\n', 1, 4, 'no anchor set before it'],
    ['an alias inside its own anchor', 'a: &loop { b: *loop }\n', 1, 15, '(a cycle)'],
    ['a collection as a key', '? [a, b]\n: c\n', 1, 3, 'not a plain value'],
    ['a tab as indentation', 'a:\n\tb: 1\n', 2, 1, 'tab'],
    ['an unclosed quote', 'a: "open\n', 2, 1, 'missing character'],
    ['an unclosed flow sequence', 'a: [1, 2\nb: 3\n', 2, 1, 'indentation'],
  ])('%s', async (_name, text, line, column, reason) => {
    const err = await configError(parse(text));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toMatch(
      new RegExp(`^app\\.yaml: invalid YAML at line ${line}, column ${column} \\(`),
    );
    expect(err.message).toContain(reason);
    expect(err.details).toMatchObject({ source: 'app.yaml', line, column });
  });

  it.each([
    ['a sequence', '- a\n- b\n'],
    ['a scalar', 'just text\n'],
    ['an empty file', ''],
    ['only comments', '# nothing here\n'],
  ])('a document that is not a mapping: %s', async (_name, text) => {
    const err = await configError(parse(text));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toBe('app.yaml: the top level must be a mapping (an object)');
  });

  it('stops a "billion laughs" at the alias bound, naming the first alias', async () => {
    let text = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (const [prev, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) {
      text += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
    }
    const err = await configError(parse(text));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toBe(
      'app.yaml: invalid YAML at line 2, column 8 (aliases expand to more than 100 values)',
    );
  });

  it('refuses nesting deeper than 100 levels before the parser recurses (flow and block)', async () => {
    const flow = await configError(parse(`a: ${'['.repeat(20_000)}`));
    expect(flow.message).toBe('app.yaml: invalid YAML at line 1, column 103 (nested too deeply)');
    const block = Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect((await configError(parse(block))).message).toMatch(/\(nested too deeply\)$/);
  });

  it('never echoes a value, a tag or a key from the text, whatever the mistake', async () => {
    const secret = 'hunter2-secret-value';
    const texts = [
      `password: !${secret}\n`,
      `password: "${secret}\n`,
      `password: "${secret}\\q"\n`,
      `a: 1\n${secret}: [1,\n`,
      `password: ${secret}\npassword: ${secret}\n`,
      `- ${secret}\n`,
      `a: @${secret}\n`,
      `a: *${secret}\n`,
      `a: 1\n---\n${secret}: 2\n`,
      `a: |x${secret}\n  b\n`,
    ];
    for (const text of texts) {
      const err = await configError(parse(text));
      expect(err.code).toBe('PARSE_ERROR');
      expect(JSON.stringify([err.message, err.details, String(err.cause ?? '')])).not.toContain('hunter2');
    }
  });
});
