import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSON5 from 'json5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorsOf, type Block, blocksOf, linksOf } from './blocks.js';

/**
 * The documents' code works: every block of README.md and docs/guide/*.md is compiled and run, so
 * the docs cannot drift from the code. The rules, by the block's info string:
 *
 * - ```ts / ```js: type-checked by tsc (strict, NodeNext; `strataconf` and `strataconf/testing`
 *   resolve to this source tree) and run with tsx in the page's own folder of a temporary project.
 *   If the module exports `handler`, it is then invoked once with `{}` and a Lambda-like context.
 *   A block whose `file=NAME` ends in `.test.ts` is run by vitest instead.
 * - `no-run`: type-checked only (a block that needs AWS, or a fragment of a larger program).
 * - `no-check`: neither (a block that needs a package this repository does not install); each use
 *   says why in the text around it.
 * - `file=NAME`: also written into the page's folder as NAME before any block of the page runs,
 *   so later blocks can import it or read it (`config.json5`, `schema.ts`).
 * - `env:NAME=VALUE`: a variable set for that block's run.
 * - A ```text output block right after a code block: what that block must print on stdout (trailing
 *   spaces and blank lines aside). `DOCS_UPDATE_OUTPUT=1 npx vitest run test/docs` rewrites them from
 *   the actual output; read the diff before committing it. An output block belongs to a block that
 *   runs: one after a `no-run` block, a `file=` module or prose would be checked against nothing.
 * - `// prints: TEXT` in a ts or js block: a line its output must contain, checked in what the block
 *   prints and in its recorded output, so a record rewritten from a wrong run cannot drop it.
 * - ```json must parse as JSON, ```json5 as JSON5; shell and text blocks are not run.
 *
 * Beside the code: every relative link leads to a file the npm tarball ships (package.json `files`)
 * and to a heading that exists, and no page names the repository's own source or test files.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GUIDE = join(REPO, 'docs/guide');
const PAGES = [
  'README.md',
  ...readdirSync(GUIDE)
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/guide/${f}`),
];
const read = (page: string) => readFileSync(join(REPO, page), 'utf8');
const blocks = PAGES.flatMap((page) => blocksOf(page, read(page)));
const isCode = (b: Block) => ['ts', 'js'].includes(b.lang) && !b.flags.has('no-check');
const isTest = (b: Block) => b.file?.endsWith('.test.ts') === true;

let root = '';
const folderOf = (b: Block) => join(root, b.page.replace(/[/.]/g, '_'));
const fileOf = (b: Block) => join(folderOf(b), b.file ?? `block-${b.line}.${b.lang === 'js' ? 'mjs' : 'ts'}`);
const where = (b: Block) => `${b.page}:${b.line}`;

function exec(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number; out: string; err: string }>((done) => {
    execFile(command, args, { cwd, env, timeout: 120_000 }, (error, out, err) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) || 1 : 0, out, err });
    });
  });
}

/** DOCS_UPDATE_OUTPUT=1: writes what the block printed into its output block (as vitest -u does). */
function updateOutput(block: Block, actual: string): void {
  const text = read(block.page);
  const start = text.indexOf('```text output\n', text.indexOf(block.code)) + '```text output\n'.length;
  const end = text.indexOf('\n```', start - 1);
  writeFileSync(join(REPO, block.page), `${text.slice(0, start)}${actual}${text.slice(end)}`);
}

/** Output as compared: no trailing spaces, no blank lines at either end. */
const tidy = (text: string) => text.replace(/[ \t]+$/gm, '').trim();

const RUN = `import { pathToFileURL } from 'node:url';
const mod = await import(pathToFileURL(process.argv[2]).href);
if (typeof mod.handler === 'function') {
  const context = { awsRequestId: 'docs', functionName: 'docs', getRemainingTimeInMillis: () => 3000 };
  console.log(JSON.stringify(await mod.handler({}, context)));
}
`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strataconf-docs-'));
  await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  const paths = {
    strataconf: [join(REPO, 'src/index.ts')],
    'strataconf/testing': [join(REPO, 'src/testing.ts')],
  };
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    paths,
  };
  await writeFile(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['**/*.ts'] }));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }');
  await writeFile(join(root, 'run.mjs'), RUN);
  // The same aliases as this repository's vitest.config.ts: one module graph for both entries.
  const alias = [
    `{ find: /^strataconf$/, replacement: ${JSON.stringify(paths.strataconf[0])} }`,
    `{ find: /^strataconf\\/testing$/, replacement: ${JSON.stringify(paths['strataconf/testing'][0])} }`,
  ].join(', ');
  await writeFile(
    join(root, 'vitest.config.mjs'),
    `export default { resolve: { alias: [${alias}] }, test: { include: ['**/*.test.ts'], exclude: ['node_modules/**'] } };`,
  );
  for (const block of blocks) {
    if (!block.file && !isCode(block)) continue;
    await mkdir(dirname(fileOf(block)), { recursive: true });
    await writeFile(fileOf(block), block.code);
  }
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the code blocks of the README and the guide', () => {
  it('has code to check on every page but the index and the reasons', () => {
    const prose = ['docs/guide/README.md', 'docs/guide/11-design-decisions.md'];
    const pages = PAGES.filter((page) => !prose.includes(page));
    expect(pages.filter((page) => !blocks.some((b) => b.page === page && isCode(b)))).toEqual([]);
  });

  it('type-check (tsc --strict)', async () => {
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const { out } = await exec(process.execPath, [tsc, '-p', root, '--pretty', 'false'], root);
    const byFile = new Map(blocks.filter(isCode).map((b) => [relative(root, fileOf(b)), where(b)]));
    const errors = out
      .split('\n')
      .filter((line) => /error TS/.test(line))
      .map((line) =>
        line.replace(
          /^([^(]+)\((\d+),\d+\)/,
          (_, f: string, l: string) => `${byFile.get(f) ?? f} (line ${l} of the block)`,
        ),
      );
    expect(errors).toEqual([]);
  }, 180_000);

  // A file= block is a module the page's other blocks import; a test file runs under vitest, and an
  // .mjs module (a CLI loader) is imported to see that it loads.
  const runnable = blocks.filter(
    (b) => isCode(b) && !b.flags.has('no-run') && (!b.file || isTest(b) || b.file.endsWith('.mjs')),
  );
  it.each(runnable.map((b) => [where(b), b] as const))(
    '%s runs',
    async (_, block) => {
      const env = { ...process.env, ...block.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') };
      const result = isTest(block)
        ? await exec(
            process.execPath,
            [
              join(REPO, 'node_modules/vitest/vitest.mjs'),
              'run',
              '--root',
              root,
              '--config',
              join(root, 'vitest.config.mjs'),
              fileOf(block),
            ],
            folderOf(block),
            env,
          )
        : await exec(
            process.execPath,
            ['--import', 'tsx', join(root, 'run.mjs'), fileOf(block)],
            folderOf(block),
            env,
          );
      expect(result.code, `${result.out}${result.err}`).toBe(0);
      const lines = tidy(result.out).split('\n');
      for (const text of block.prints) {
        expect(
          lines.filter((line) => line.includes(text)),
          `${where(block)} prints "${text}"`,
        ).not.toEqual([]);
      }
      if (block.output === undefined) return;
      if (process.env.DOCS_UPDATE_OUTPUT) updateOutput(block, tidy(result.out));
      else expect(tidy(result.out)).toBe(tidy(block.output));
    },
    120_000,
  );

  it('records, in every output block, the lines its code says it prints, and has output blocks only after blocks that run', () => {
    const problems: string[] = [];
    for (const block of blocks) {
      const recorded = block.output === undefined ? undefined : tidy(block.output).split('\n');
      if (recorded !== undefined && !runnable.includes(block))
        problems.push(`${where(block)}: an output block after a block that does not run`);
      if (block.lang === 'text' && block.flags.has('output'))
        problems.push(`${where(block)}: an output block with no code block right before it`);
      for (const text of block.prints) {
        if (!runnable.includes(block))
          problems.push(`${where(block)}: "// prints:" in a block that does not run`);
        else if (recorded !== undefined && !recorded.some((line) => line.includes(text)))
          problems.push(`${where(block)}: its output block lacks "${text}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(blocks.filter((b) => b.lang === 'json' || b.lang === 'json5').map((b) => [where(b), b] as const))(
    '%s parses',
    (_, block) => {
      const parse = block.lang === 'json' ? JSON.parse : JSON5.parse;
      expect(() => parse(block.code)).not.toThrow();
    },
  );
});

describe('the links and words of the README and the guide', () => {
  const pkg = JSON.parse(read('package.json')) as { files: string[] };
  const shipped = (file: string) =>
    ['README.md', 'LICENSE', 'package.json', ...pkg.files].some(
      (f) => file === f || file.startsWith(`${f}/`),
    );

  // The reference and the migration guide are read beside the guide: their links and words too.
  const linked = [...PAGES, 'docs/API.md', 'docs/migrating.md'];

  it.each(linked)('%s links only to shipped files and existing headings', (page) => {
    const broken: string[] = [];
    for (const link of linksOf(read(page))) {
      if (/^[a-z]+:/i.test(link)) continue;
      const [path = '', anchor] = link.split('#');
      const target = path ? relative(REPO, resolve(REPO, dirname(page), path)) : page;
      if (!existsSync(join(REPO, target))) broken.push(`${link}: no such file`);
      else if (!shipped(target)) broken.push(`${link}: not in the npm tarball`);
      else if (anchor && target.endsWith('.md') && !anchorsOf(read(target)).has(anchor)) {
        broken.push(`${link}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(linked)('%s names no internal file and no contract document', (page) => {
    const text = read(page);
    // A path of the reader's own project (src/handler.ts in a CDK stack) is fine; one of this repository is not.
    const paths = text.match(/\b(?:src|test|bench|examples|fixtures)\/[\w./-]*\w/g) ?? [];
    expect(paths.filter((path) => existsSync(join(REPO, path)))).toEqual([]);
    expect(text.match(/\bSPEC\b/g) ?? []).toEqual([]);
  });
});
