/**
 * A throttled SSM endpoint for the fleet simulation, in a process of its own (so the fleet's work
 * never delays its clock): GetParametersByPath over AWS JSON 1.1 behind a token bucket (`RATE`
 * requests a second, `BURST` at most, refilled continuously). An empty bucket answers HTTP 400
 * `{"__type":"ThrottlingException","message":"Rate exceeded"}`, as SSM does. Every path
 * `/fleet/<run>/<env>/` holds `PARAMS` parameters (`db/host` = `from-ssm`, then `p/0`, `p/1`...).
 * Signatures are not checked: the figure is about rates, and checking costs the bucket's process CPU.
 *
 * Messages from the parent (IPC): `{ bucket: { rate, burst } }` resets the bucket and the counts;
 * `{ stats: true }` answers `{ stats: { requests: { [env]: n }, throttled, lastThrottleAt } }`.
 */
import { createServer } from 'node:http';

let rate = 40;
let burst = 40;
let tokens = burst;
let last = performance.now();
let requests = new Map();
let throttled = 0;
/** When the last throttled answer went out (`Date.now()`, a clock both processes share). */
let lastThrottleAt = 0;
const params = Number(process.env.PARAMS ?? 1);

function take() {
  const now = performance.now();
  tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
  last = now;
  if (tokens < 1) return false;
  tokens -= 1;
  return true;
}

function parameters(path) {
  const all = [{ Name: `${path}db/host`, Type: 'String', Value: 'from-ssm', Version: 1 }];
  for (let i = 1; i < params; i++)
    all.push({ Name: `${path}p/${i}`, Type: 'String', Value: `v${i}`, Version: 1 });
  return all;
}

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': 'fleet',
  });
  res.end(text);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const input = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    const path = String(input.Path ?? '/').replace(/\/?$/, '/');
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (!take()) {
      throttled++;
      lastThrottleAt = Date.now();
      return answer(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    }
    const all = parameters(path);
    const start = Number(input.NextToken ?? 0);
    const size = Math.min(10, Number(input.MaxResults ?? 10));
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? String(start + size) : undefined;
    answer(res, 200, { Parameters: page, ...(next === undefined ? {} : { NextToken: next }) });
  });
});
server.keepAliveTimeout = 60_000;

process.on('message', (msg) => {
  if (msg.bucket) {
    ({ rate, burst } = msg.bucket);
    tokens = burst;
    last = performance.now();
    requests = new Map();
    throttled = 0;
    lastThrottleAt = 0;
    process.send({ ready: true });
  } else if (msg.stats) {
    process.send({ stats: { requests: Object.fromEntries(requests), throttled, lastThrottleAt } });
  } else if (msg.stop) {
    server.close();
    process.exit(0);
  }
});

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
