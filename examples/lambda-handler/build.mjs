#!/usr/bin/env node
// Bundles the function the way it is deployed: one ESM file, `@aws-sdk/*` left out (the Lambda
// Node.js runtime provides the SDK), and config.json5 copied beside it. The zip of `dist/` is the
// artifact. `node examples/lambda-handler/build.mjs [--minify] [--outdir DIR]`
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..', '..');

/**
 * Here `strataconf` is this repository's source; in your project, where strataconf is installed
 * from npm, drop `alias` and esbuild finds the package in node_modules.
 */
const alias = { strataconf: join(repo, 'src', 'index.ts') };

/**
 * Builds `index.mjs` (handler `index.handler`) into `outdir`, with `config.json5` beside it.
 * `entries` adds more entry points built the same way (the demo bundles `config.ts` for the CLI).
 * @returns the bundle's path and size, and esbuild's metafile (what went into it).
 */
export async function bundle({ outdir = join(here, 'dist'), minify = false, entries = {} } = {}) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    entryPoints: { index: join(here, 'handler.ts'), ...entries },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify,
    alias,
    external: ['@aws-sdk/*'],
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  await copyFile(join(here, 'config.json5'), join(outdir, 'config.json5'));
  const file = join(outdir, 'index.mjs');
  return { file, bytes: (await stat(file)).size, metafile: result.metafile };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = { minify: { type: 'boolean' }, outdir: { type: 'string' }, metafile: { type: 'boolean' } };
  const { values } = parseArgs({ options });
  const { file, bytes, metafile } = await bundle({ minify: values.minify, outdir: values.outdir });
  // --metafile: esbuild's account of every input, for `npx esbuild-visualizer` or the tests.
  if (values.metafile) await writeFile(join(dirname(file), 'meta.json'), JSON.stringify(metafile));
  console.log(
    `${relative(process.cwd(), file)}: ${(bytes / 1024).toFixed(1)} KiB${values.minify ? ' (minified)' : ''}`,
  );
}
