/**
 * Nothing of the local stores loads with `import 'strataconf'`, and `import 'strataconf/testing'`
 * loads none of the server until startLocalAws is called: the entries' static import graphs (as
 * esbuild bundles them, split like the package) never reach src/local-aws/ but its types, and the
 * testing entry reaches the server only through a dynamic import.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
let metafile: Metafile;

beforeAll(async () => {
  const result = await build({
    absWorkingDir: repo,
    entryPoints: { index: 'src/index.ts', testing: 'src/testing.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    outdir: 'out',
    write: false,
    metafile: true,
    external: ['json5', 'zod', '@aws-sdk/*'],
  });
  metafile = result.metafile;
});

/** The inputs of `entry`'s output and of every chunk it imports statically. */
function staticInputs(entry: string): string[] {
  const outputs = metafile.outputs;
  const start = Object.keys(outputs).find((o) => outputs[o]?.entryPoint === entry);
  const seen = new Set<string>();
  const visit = (output: string | undefined) => {
    if (output === undefined || seen.has(output)) return;
    seen.add(output);
    for (const i of outputs[output]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(start);
  return [...seen].flatMap((o) => Object.keys(outputs[o]?.inputs ?? {}));
}

describe('the local stores and the package entries', () => {
  it('strataconf reaches no module of src/local-aws/', () => {
    const inputs = staticInputs('src/index.ts');
    expect(inputs).toContain('src/load-config.ts');
    expect(inputs.filter((i) => i.startsWith('src/local-aws/'))).toEqual([]);
  });

  it('strataconf/testing reaches the server only through a dynamic import', () => {
    expect(staticInputs('src/testing.ts').filter((i) => i.startsWith('src/local-aws/'))).toEqual([]);
    const all = Object.values(metafile.outputs).flatMap((o) => Object.keys(o.inputs));
    expect(all).toContain('src/local-aws/server.ts');
  });

  it('importing strataconf/testing loads no http module; starting the server does', async () => {
    const script = `
      const before = new Set(process.moduleLoadList);
      const testing = await import('./src/testing.ts');
      const onImport = process.moduleLoadList.filter((m) => !before.has(m));
      const aws = await testing.startLocalAws();
      await aws.close();
      const onStart = process.moduleLoadList.filter((m) => !before.has(m));
      console.log(JSON.stringify({ onImport, onStart }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: repo },
    );
    const { onImport, onStart } = JSON.parse(stdout) as { onImport: string[]; onStart: string[] };
    expect(onImport).not.toContain('NativeModule http');
    expect(onStart).toContain('NativeModule http');
  });
});
