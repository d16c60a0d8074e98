import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readAll } from '../../src/aws/http.js';
import { type AwsError, restJson, send } from '../../src/aws/index.js';
import { endless, type HostileEndpoint, startHostileEndpoint } from '../hardening/hostile-endpoint.js';
import { rejection as rejectionOf } from '../helpers.js';
import { lightEnv } from './fake-aws.js';

/**
 * How much of an answer the transport reads: a 2xx body up to `maxBytes` (1 MiB unless given), then
 * `ETOOLARGE` and the connection closed; an error body up to 64 KiB, cut there, still parsed for the
 * error it names.
 */

let server: HostileEndpoint;
beforeAll(async () => {
  server = await startHostileEndpoint((_req, res) => res.end());
});
afterAll(() => server.close());
beforeEach(() => {
  for (const [name, value] of Object.entries(lightEnv(server.endpoint))) vi.stubEnv(name, value);
});

const signal = () => new AbortController().signal;
const request = { service: 'ssm', protocol: 'json', method: 'POST', path: '/', body: '{}' } as const;

const rejection = (work: Promise<unknown>) => rejectionOf<AwsError & { code?: string }>(work);

function body(size: number, headers: Record<string, string> = {}) {
  return (res: ServerResponse) => {
    res.writeHead(200, headers);
    // Two writes: the bound is crossed inside the second chunk.
    res.write(Buffer.alloc(Math.floor(size / 2), 'a'));
    res.end(Buffer.alloc(size - Math.floor(size / 2), 'b'));
  };
}

describe('2xx bodies', () => {
  it('reads a body of exactly maxBytes', async () => {
    server.answer = (_req, res) => body(1000)(res);
    const res = await send(request, { signal: signal(), maxBytes: 1000 });
    expect(res.body).toHaveLength(1000);
  });

  it('fails one byte above maxBytes with ETOOLARGE, and closes the connection', async () => {
    server.answer = (_req, res) => body(1001)(res);
    const err = await rejection(send(request, { signal: signal(), maxBytes: 1000 }));
    expect([err.name, err.code, err.message]).toEqual([
      'ResponseTooLarge',
      'ETOOLARGE',
      'the answer is larger than 1000 bytes',
    ]);
  });

  it('reads a body whose Content-Length is exactly maxBytes', async () => {
    server.answer = (_req, res) => res.writeHead(200, { 'content-length': '1000' }).end(Buffer.alloc(1000));
    expect((await send(request, { signal: signal(), maxBytes: 1000 })).body).toHaveLength(1000);
  });

  it('fails a Content-Length above maxBytes before reading the body', async () => {
    server.answer = (_req, res) => res.writeHead(200, { 'content-length': '5000' }).write('x');
    const err = await rejection(send(request, { signal: signal(), maxBytes: 1000 }));
    expect(err.code).toBe('ETOOLARGE');
    await server.seen.at(-1)?.closed;
  });

  it('reads at most 1 MiB when no bound is given, and closes an endless answer', async () => {
    server.answer = (_req, res) => body(1024 * 1024)(res);
    expect((await send(request, { signal: signal() })).body).toHaveLength(1024 * 1024);
    server.answer = (_req, res) => endless(res);
    const err = await rejection(send(request, { signal: signal() }));
    expect(err.message).toBe('the answer is larger than 1048576 bytes');
    await server.seen.at(-1)?.closed;
  });

  it('hands a stream over untouched when asked for one', async () => {
    server.answer = (_req, res) => body(3000)(res);
    const res = await send(request, { signal: signal(), maxBytes: 10, stream: true });
    let size = 0;
    for await (const chunk of res.body as IncomingMessage) size += (chunk as Buffer).length;
    expect(size).toBe(3000);
  });
});

describe('error bodies', () => {
  const padding = 'p'.repeat(200 * 1024);

  it('reads the first 64 KiB of a large JSON error, and names the error from it', async () => {
    server.answer = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(`{"__type":"com.amazon#AccessDeniedException","message":"no access","padding":"${padding}"}`);
    };
    const err = await rejection(send(request, { signal: signal() }));
    expect([err.name, err.message, err.$metadata.httpStatusCode]).toEqual([
      'AccessDeniedException',
      'no access',
      400,
    ]);
  });

  it('reads the first 64 KiB of a large XML error', async () => {
    server.answer = (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(
        `<Error><Code>AccessDenied</Code><Message>Access Denied</Message><Padding>${padding}</Padding></Error>`,
      );
    };
    const err = await rejection(
      send({ ...request, service: 's3', protocol: 'rest-xml', method: 'GET' }, { signal: signal() }),
    );
    expect([err.name, err.message]).toEqual(['AccessDenied', 'Access Denied']);
  });

  it('cuts an error body that never ends, names the error by its status, and closes the connection', async () => {
    server.answer = (_req, res) => endless(res, 403);
    const err = await rejection(send(request, { signal: signal() }));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['Forbidden', 403]);
    await server.seen.at(-1)?.closed;
  });

  it('never takes a code that is not an AWS error name', async () => {
    server.answer = (_req, res) => {
      res.writeHead(400, { 'x-amzn-errortype': '<script>alert(1)</script>' });
      res.end('{"message":"bad"}');
    };
    const err = await rejection(send(request, { signal: signal() }));
    expect(err.name).toBe('BadRequest');
  });
});

describe('readAll', () => {
  const stream = () => new PassThrough() as unknown as IncomingMessage;

  it('cuts at exactly maxBytes when asked to, across chunks', async () => {
    const res = stream();
    const read = readAll(res, 10, true);
    (res as unknown as PassThrough).write(Buffer.from('123456'));
    (res as unknown as PassThrough).write(Buffer.from('789abc'));
    expect((await read).toString()).toBe('123456789a');
  });

  it('fails past maxBytes, and reads what ends within it', async () => {
    const over = stream();
    const failed = readAll(over, 3);
    (over as unknown as PassThrough).end(Buffer.from('abcd'));
    await expect(failed).rejects.toMatchObject({ code: 'ETOOLARGE', maxBytes: 3 });
    const within = stream();
    const read = readAll(within, 3);
    (within as unknown as PassThrough).end(Buffer.from('abc'));
    expect((await read).toString()).toBe('abc');
  });

  it("fails with the stream's error, or as broken off when it closes early", async () => {
    const failing = stream();
    const read = readAll(failing, 100);
    (failing as unknown as PassThrough).destroy(Object.assign(new Error('boom'), { code: 'EPIPE' }));
    await expect(read).rejects.toMatchObject({ code: 'EPIPE' });
    for (const event of ['aborted', 'close']) {
      const cut = stream();
      const early = readAll(cut, 100);
      cut.emit(event);
      await expect(early).rejects.toMatchObject({ code: 'ECONNRESET', message: 'the answer broke off' });
    }
  });
});

describe('REST-JSON requests', () => {
  it('send a JSON body with its content type, and a GET with neither', async () => {
    server.answer = (_req, res) => res.end('{}');
    await restJson(
      'appconfigdata',
      { method: 'POST', path: '/sessions', body: { A: 1 } },
      { signal: signal() },
    );
    const post = server.seen.at(-1);
    expect([post?.headers['content-type'], post?.body]).toEqual(['application/json', '{"A":1}']);
    await restJson(
      'appconfigdata',
      {
        method: 'GET',
        path: '/configuration',
        query: { token: 'a b', none: undefined, next: '1' },
        headers: { 'X-Extra': 'yes' },
      },
      { signal: signal() },
    );
    const get = server.seen.at(-1);
    expect([get?.url, get?.headers['content-type'], get?.headers['x-extra'], get?.body]).toEqual([
      '/configuration?token=a%20b&next=1',
      undefined,
      'yes',
      '',
    ]);
  });
});

describe('answers that are neither 2xx nor errors with a body', () => {
  it('rejects a 300, which is no success', async () => {
    server.answer = (_req, res) => res.writeHead(300).end('<html>choices</html>');
    const err = await rejection(send(request, { signal: signal() }));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['Unknown', 300]);
  });

  it('does not send again a request whose first connection was reset (it may have reached the store)', async () => {
    const fresh = await startHostileEndpoint((_req, res) => res.socket?.destroy());
    try {
      vi.stubEnv('AWS_ENDPOINT_URL', fresh.endpoint);
      const err = await rejection(send(request, { signal: signal() }));
      expect(err.code).toBe('ECONNRESET');
      expect(fresh.seen).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
