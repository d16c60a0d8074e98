import { describe, expect, it } from 'vitest';
import { packProblems, referencedFiles } from './pack-contents.js';

const pkg = {
  main: './dist/index.cjs',
  types: './dist/index.d.cts',
  bin: { strataconf: './dist/cli.js' },
  exports: {
    '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' } },
    './package.json': './package.json',
  },
};
const good = [
  'BENCHMARKS.md',
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'SECURITY.md',
  'docs/API.md',
  'docs/guide/01-layers.md',
  'docs/guide/README.md',
  'docs/migrating.md',
  'dist/cli.js',
  'dist/index.cjs',
  'dist/index.d.cts',
  'dist/index.d.ts',
  'dist/index.js',
  'package.json',
];

describe('packProblems', () => {
  it('accepts a tarball of dist, the documents, the guide and package.json', () => {
    expect(packProblems(good, pkg)).toEqual([]);
  });

  it.each([
    ['src/index.ts', 'unexpected file in the tarball: src/index.ts'],
    ['test/cache.test.ts', 'unexpected file in the tarball: test/cache.test.ts'],
    ['fixtures/basic/config.json5', 'unexpected file in the tarball: fixtures/basic/config.json5'],
    ['tsconfig.json', 'unexpected file in the tarball: tsconfig.json'],
    ['docs/typedoc.json', 'unexpected file in the tarball: docs/typedoc.json'],
    ['docs/guide/img/x.png', 'unexpected file in the tarball: docs/guide/img/x.png'],
    ['examples/demo.mjs', 'unexpected file in the tarball: examples/demo.mjs'],
    ['dist/fixtures/a.json5', 'test file in the build: dist/fixtures/a.json5'],
    ['dist/cache.test.js', 'test file in the build: dist/cache.test.js'],
  ])('reports %s', (extra, problem) => {
    expect(packProblems([...good, extra], pkg)).toEqual([problem]);
  });

  it('reports each missing document and each file package.json points to but the tarball lacks', () => {
    const files = good.filter(
      (f) => f !== 'LICENSE' && f !== 'docs/API.md' && f !== 'dist/cli.js' && f !== 'dist/index.d.ts',
    );
    expect(packProblems(files, pkg)).toEqual([
      'missing from the tarball: LICENSE',
      'missing from the tarball: docs/API.md',
      'package.json points to a file the tarball lacks: dist/cli.js',
      'package.json points to a file the tarball lacks: dist/index.d.ts',
    ]);
  });
});

describe('referencedFiles', () => {
  it('collects main, types, bin and every export condition, without the ./ prefix', () => {
    expect(referencedFiles(pkg)).toEqual([
      'dist/cli.js',
      'dist/index.cjs',
      'dist/index.d.cts',
      'dist/index.d.ts',
      'dist/index.js',
      'package.json',
    ]);
  });
});
