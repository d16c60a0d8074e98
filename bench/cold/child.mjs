/**
 * One cold figure in a fresh process: `node cold/child.mjs import NAME`,
 * `import-file PATH` or `load NAME DIR`. Prints
 * one JSON line: ms since process start when the script began (`boot`), the import, the load (wall
 * clock, and CPU time of the process, which a busy machine disturbs less), and whether the loaded
 * config holds the expected values (checked after the timers stop).
 */
const boot = performance.now();
const [mode, name, dir] = process.argv.slice(2);

async function main() {
  if (mode === 'import') {
    const { importTargets } = await import('../lib/loaders.mjs');
    const target = importTargets[name];
    const t0 = performance.now();
    if (target !== null) await import(target);
    return { boot, importMs: performance.now() - t0 };
  }
  if (mode === 'import-file') {
    const { pathToFileURL } = await import('node:url');
    const t0 = performance.now();
    await import(pathToFileURL(name).href);
    return { boot, importMs: performance.now() - t0 };
  }
  const { loaders } = await import('../lib/loaders.mjs');
  const { readFileSync } = await import('node:fs');
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const run = await loaders[name](dir, manifest);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const config = await run();
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  const expected = await (await loaders.floor(dir, manifest))();
  const cpu = (a, b) => (b.user - a.user + b.system - a.system) / 1000;
  return {
    boot,
    importMs: t1 - t0,
    loadMs: t2 - t1,
    workMs: t2 - t0,
    importCpuMs: cpu(c0, c1),
    loadCpuMs: cpu(c1, c2),
    ok: sameAt(config, expected, manifest),
  };
}

const get = (obj, path) => path.reduce((node, key) => node?.[key], obj);

/** Env leaves, and the leaves the later layers replaced, hold the floor's values. */
function sameAt(config, expected, manifest) {
  const paths = manifest.envPaths.map((e) => e.path);
  for (const [section, keys] of Object.entries(expected)) {
    if (section.endsWith('0'))
      paths.push(
        ...Object.keys(keys)
          .slice(0, 2)
          .map((k) => [section, k]),
      );
  }
  return paths.every((p) => JSON.stringify(get(config, p)) === JSON.stringify(get(expected, p)));
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err) => {
    process.stdout.write(`${JSON.stringify({ error: String(err?.stack ?? err) })}\n`);
    process.exitCode = 1;
  },
);
