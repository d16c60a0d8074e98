import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { abortReason } from '../../src/aws/http.js';
import { type AwsError, resetClockOffset, send } from '../../src/aws/index.js';
import { type HostileEndpoint, never, startHostileEndpoint } from '../hardening/hostile-endpoint.js';
import { rejection as rejectionOf } from '../helpers.js';
import { json, lightEnv, startFakeAws } from './fake-aws.js';

/**
 * One request, one attempt, and the facts the retry policy acts on: the store's `Retry-After`, a
 * clock corrected by a skew answer, the SDK's names for a missing region or credentials; a reset on
 * a kept-alive socket the server had closed is sent again at once, once.
 */

let server: HostileEndpoint;
beforeAll(async () => {
  server = await startHostileEndpoint((_req, res) => res.end('{}'));
});
afterAll(() => server.close());
beforeEach(() => {
  for (const [name, value] of Object.entries(lightEnv(server.endpoint))) vi.stubEnv(name, value);
  resetClockOffset();
  server.answer = (_req, res) => res.end('{}');
});

const signal = () => new AbortController().signal;
const request = { service: 'ssm', protocol: 'json', method: 'POST', path: '/', body: '{}' } as const;

const rejection = (work: Promise<unknown>) => rejectionOf<AwsError & { code?: string }>(work);

function error(status: number, type: string, headers: Record<string, string> = {}) {
  return (_req: unknown, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...headers });
    res.end(JSON.stringify({ __type: type, message: type }));
  };
}

describe('Retry-After', () => {
  it.each([
    ['2', 2000],
    ['0.5', 500],
    ['0', undefined],
    ['-1', undefined],
    ['soon', undefined],
  ])('%j is %s ms', async (value, ms) => {
    server.answer = error(503, 'ServiceUnavailable', { 'retry-after': value });
    const err = await rejection(send(request, { signal: signal() }));
    expect(err.retryAfterMs).toBe(ms);
    expect(Object.hasOwn(err, 'retryAfterMs')).toBe(ms !== undefined);
  });
});

describe('clock skew', () => {
  const skewed = (offsetMs: number, code = 'InvalidSignatureException') =>
    error(400, code, { date: new Date(Date.now() + offsetMs).toUTCString() });

  it('corrects the clock from a skew answer two minutes off, and signs the next request with it', async () => {
    server.answer = skewed(2 * 60_000);
    expect((await rejection(send(request, { signal: signal() }))).clockCorrected).toBe(true);
    server.answer = (_req, res) => res.end('{}');
    await send(request, { signal: signal() });
    const date = String(server.seen.at(-1)?.headers['x-amz-date']);
    const sent = Date.parse(
      date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    expect(sent - Date.now()).toBeGreaterThan(60_000);
  });

  it('keeps a clock per endpoint: another port on the same host is not sent the correction', async () => {
    const ahead = await startFakeAws((_req, res) => json(res, 200, {}));
    const right = await startFakeAws((_req, res) => json(res, 200, {}));
    ahead.clockOffsetMs = 60 * 60_000;
    try {
      vi.stubEnv('AWS_ENDPOINT_URL', ahead.endpoint);
      expect((await rejection(send(request, { signal: signal() }))).clockCorrected).toBe(true);
      vi.stubEnv('AWS_ENDPOINT_URL', right.endpoint);
      await send(request, { signal: signal() });
      expect(right.received).toHaveLength(1);
    } finally {
      await ahead.close();
      await right.close();
    }
  });

  it.each([
    ['less than a minute off', skewed(30_000)],
    ['without a Date', error(400, 'RequestTimeTooSkewed')],
    ['with a Date that is no date', error(400, 'RequestTimeTooSkewed', { date: 'yesterday' })],
    ['an answer that is not about the clock', skewed(2 * 60 * 60_000, 'AccessDeniedException')],
  ])('teaches nothing %s', async (_what, answer) => {
    server.answer = answer;
    expect((await rejection(send(request, { signal: signal() }))).clockCorrected).toBeUndefined();
  });
});

describe('what the SDK calls a missing region or missing credentials', () => {
  it('says "Region is missing" when no region is set anywhere', async () => {
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', '');
    const err = await rejection(send(request, { signal: signal() }));
    expect([err.name, err.message]).toEqual(['RegionMissing', 'Region is missing']);
  });

  it('takes AWS_DEFAULT_REGION when AWS_REGION is not set, and the option before both', async () => {
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', 'ap-south-1');
    await send(request, { signal: signal() });
    expect(server.seen.at(-1)?.headers.authorization).toContain('/ap-south-1/ssm/aws4_request');
    await send(request, { signal: signal(), region: 'sa-east-1' });
    expect(server.seen.at(-1)?.headers.authorization).toContain('/sa-east-1/ssm/aws4_request');
  });

  it('says which variables are missing when there are no credentials', async () => {
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    const err = await rejection(send(request, { signal: signal() }));
    expect([err.name, err.message]).toEqual([
      'CredentialsProviderError',
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set',
    ]);
  });

  it('signs with the credentials it is given over the environment', async () => {
    await send(request, {
      signal: signal(),
      credentials: { accessKeyId: 'AKIDGIVEN', secretAccessKey: 's' },
    });
    expect(server.seen.at(-1)?.headers.authorization).toContain('Credential=AKIDGIVEN/');
    expect(server.seen.at(-1)?.headers['x-amz-security-token']).toBeUndefined();
  });
});

describe('a kept-alive socket the server closed', () => {
  it('is sent again at once on a new connection, once', async () => {
    await send(request, { signal: signal() });
    const before = server.seen.length;
    // The next request arrives on the kept-alive socket: the server drops it, as after an idle timeout.
    let dropped = 0;
    server.answer = (_req, res) => {
      if (dropped++ === 0) return res.socket?.destroy();
      res.end('{"again":true}');
    };
    const res = await send(request, { signal: signal() });
    expect(JSON.parse(res.body.toString())).toEqual({ again: true });
    expect(server.seen.length - before).toBe(2);
  });

  it('is not sent a third time when the new connection is dropped too', async () => {
    await send(request, { signal: signal() });
    const before = server.seen.length;
    server.answer = (_req, res) => res.socket?.destroy();
    const err = await rejection(send(request, { signal: signal() }));
    expect(err.code).toBe('ECONNRESET');
    expect(server.seen.length - before).toBe(2);
  });
});

describe('the abort signal', () => {
  it('stops a request that gets no answer with its reason, and hangs up', async () => {
    server.answer = never;
    const controller = new AbortController();
    const sent = send(request, { signal: controller.signal });
    await vi.waitFor(() => expect(server.seen.length).toBeGreaterThan(0));
    controller.abort(new Error('no answer within 5 ms (timeoutMs)'));
    expect((await rejection(sent)).message).toBe('no answer within 5 ms (timeoutMs)');
    await server.seen.at(-1)?.closed;
  });

  it('rejects at once when it has already fired, sending nothing', async () => {
    const before = server.seen.length;
    const err = await rejection(send(request, { signal: AbortSignal.abort('stopped') }));
    expect([err.name, err.message]).toEqual(['AbortError', 'stopped']);
    expect(server.seen.length).toBe(before);
  });

  it('names a reason that is neither an error nor words', () => {
    const controller = new AbortController();
    controller.abort(42);
    expect([abortReason(controller.signal).name, abortReason(controller.signal).message]).toEqual([
      'AbortError',
      'The operation was aborted',
    ]);
  });
});
