/** Medians and child processes: every cold figure is a fresh `node` with a small, fixed environment. */
import { spawnSync } from 'node:child_process';

/** Median, min and max of a list of numbers (ms or ns), and how many runs they come from. */
export function summary(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

/** The environment every child gets: no NODE_OPTIONS or other noise from the parent, plus `extra`. */
export function childEnv(extra = {}) {
  const dist = process.env.STRATACONF_DIST ? { STRATACONF_DIST: process.env.STRATACONF_DIST } : {};
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...dist, ...extra };
}

/** Runs `node ...args` and returns the child's last JSON line plus `wallMs`, spawn to exit. */
export function runChild(args, env, cwd) {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, args, { env, cwd, encoding: 'utf8', timeout: 60_000 });
  const wallMs = performance.now() - t0;
  const line = child.stdout.trim().split('\n').at(-1) || '{}';
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    result = { error: `unreadable output: ${line.slice(0, 200)} ${child.stderr.slice(0, 500)}` };
  }
  if (child.status !== 0 && !result.error)
    result.error = `exit ${child.status}: ${child.stderr.slice(0, 500)}`;
  return { ...result, wallMs };
}

/**
 * Runs every variant `runs` times, round-robin with a rotating start, so that noise from the machine
 * lands on all variants alike and ratios from one run compare like with like.
 */
export function roundRobin(variants, runs, runOne) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      const result = runOne(name, variants[name]);
      if (result.error) throw new Error(`${name}: ${result.error}`);
      // A loader that did not load the layers it was given measured nothing: stop (and fail CI's smoke run).
      if (result.ok === false) throw new Error(`${name}: the loaded config lacks the expected values`);
      samples[name].push(result);
    }
  }
  return samples;
}

/** Summaries of each field of a variant's samples: `{ field: { median, min, max, n } }`. */
export function summarize(samples, fields) {
  const out = {};
  for (const [name, list] of Object.entries(samples)) {
    out[name] = {};
    for (const field of fields) {
      const s = summary(list.map((r) => r[field]));
      if (s) out[name][field] = s;
    }
    if (list.some((r) => r.ok === false)) out[name].wrong = true;
  }
  return out;
}

/**
 * Starts a TypeScript endpoint script (`node --import tsx SCRIPT`) in a process of its own and waits
 * for its `listening on PORT [PORT...]` line: the cold figures' children run with spawnSync, which
 * would block an endpoint in the parent. Resolves the ports and a `close`.
 */
export async function startEndpoint(script, cwd, what) {
  const { spawn } = await import('node:child_process');
  const server = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ports = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on ([\d ]+)\n/.exec(out);
      if (match) resolve(match[1].trim().split(' ').map(Number));
    });
    server.on('exit', () => reject(new Error(`the ${what} endpoint exited: ${out}`)));
  });
  return { ports, close: () => server.kill() };
}
