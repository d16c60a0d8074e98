/** Renders a run's results as the Markdown that goes between the markers of BENCHMARKS.md. */

const ms = (s) => (s ? `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '–');
const ratio = (a, b) => (a && b ? `x${(a.median / b.median).toFixed(2)}` : '–');
const us = (s) => (s ? `${fmtNs(s.median)} (${fmtNs(s.min)}–${fmtNs(s.max)})` : '–');
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

function fmtNs(ns) {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
}

function table(head, rows) {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function importTable(fig) {
  const base = fig.strataconf;
  const rows = Object.entries(fig).map(([name, f]) => [
    name === 'strataconf' ? '**strataconf**' : name,
    name === 'node -e 0' ? '–' : ms(f.importMs),
    ms(f.wallMs),
    name === 'node -e 0' || name === 'nothing' ? '–' : ratio(f.importMs, base.importMs),
  ]);
  return table(['import of', 'import ms', 'whole process ms', 'import vs strataconf'], rows);
}

function loadTable(fig) {
  const floor = fig.floor;
  const rows = Object.entries(fig).map(([name, f]) => [
    (name === 'strataconf' ? '**strataconf**' : name) + (f.wrong ? ' (wrong values!)' : ''),
    ms(f.importMs),
    ms(f.loadMs),
    ms(f.workMs),
    ratio(f.workMs, floor.workMs),
    ms(f.wallMs),
    ratio(f.wallMs, floor.wallMs),
  ]);
  return table(
    ['loader', 'import ms', 'load ms', 'import + load ms', 'vs floor', 'whole process ms', 'vs floor'],
    rows,
  );
}

function zodTable(fig) {
  const rows = Object.entries(fig).map(([name, f]) => [
    name,
    ms(f.zodImportMs),
    ms(f.schemaMs),
    name.startsWith('zod-config') ? 'inside its load' : ms(f.parseMs),
    ms(f.ownMs),
    ms(f.workMs),
    ms(f.wallMs),
  ]);
  return table(
    ['loader', 'import zod', 'build schema', 'first parse', "the loader's own", 'all work', 'whole process'],
    rows,
  );
}

function listTable(fig, fmt, unit) {
  return table(
    ['figure', `median (min–max) ${unit}`],
    Object.entries(fig).map(([name, s]) => [name, fmt(s)]),
  );
}

function bundleTable(fig) {
  const rows = Object.entries(fig).map(([name, f]) => [
    name === 'strataconf' ? '**strataconf**' : name,
    f.error ? `does not bundle: ${f.error}` : f.share === undefined ? '–' : kb(f.share),
    f.byOwner
      ? `own code ${kb(f.byOwner.strataconf)}, json5 ${kb(f.byOwner.json5)}${f.files > 1 ? `, ${f.files} files at init` : ''}`
      : name === 'zod-config'
        ? 'zod is external: its import is in the time'
        : '',
    ms(f.import?.importMs),
    ratio(f.import?.importMs, fig.strataconf?.import?.importMs),
  ]);
  return table(
    ['handler bundled with', 'added to the handler', 'of which', 'import of the bundle ms', 'vs strataconf'],
    rows,
  );
}

export function coldS3Table(fig) {
  if (!fig) return '(not measured)';
  const floor = fig.floor?.wallMs?.median;
  const rows = Object.entries(fig)
    .filter(([name]) => name !== 'ratios')
    .map(([name, v]) => [
      name,
      ms(v.workMs),
      ms(v.wallMs),
      floor ? `x${(v.wallMs.median / floor).toFixed(2)}` : '',
    ]);
  return table(['', 'import + load', 'whole process', 'vs the floor'], rows);
}

export function renderResults(r) {
  const parts = [
    `Measured ${r.machine.date} on ${r.machine.nproc} cores (${r.machine.cpu}), Node ${r.machine.node}, ${r.machine.os}; ` +
      `${r.runs} fresh processes per cold figure, round-robin; load average before the run ${r.machine.loadavg}. ` +
      'Times are the median with (min–max).',
    '### Import cost (fresh process, timer around `import()`)',
    importTable(r.import),
    '### Cold load: 3 JSON layers (200 keys) + 5 env vars',
    loadTable(r.load200),
    '### Cold load: 3 JSON layers (2,000 keys) + 5 env vars',
    loadTable(r.load2000),
    "### Cold load with a zod schema (200 leaves), zod's shares apart",
    zodTable(r.zod),
    '### Warm calls, in process (mitata; median of the per-repeat medians)',
    listTable(r.warm, us, ''),
    '### Two remote layers behind 100 ms of latency each (cold loads)',
    listTable(r.s3, ms, 'ms'),
    '### Cold process with an S3 layer (credentials in the environment, s3rver on 127.0.0.1)',
    coldS3Table(r.coldS3),
    '### Bundled handler (esbuild, minified, ESM, zod and @aws-sdk external)',
    bundleTable(r.bundle),
    '### What a cold load imports (module hooks)',
    `strataconf with three JSON files and env: ${r.trace.strataconfFiles} strataconf module(s), packages: ${r.trace.packages.join(', ') || 'none'}.`,
    '### Goals',
    table(
      ['goal', 'measured', 'met'],
      r.goals.map((g) => [g.goal, g.value, g.met ? 'yes' : '**no**']),
    ),
  ];
  return parts.join('\n\n');
}
