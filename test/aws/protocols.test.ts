import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsError, awsJson11, parseJsonBody, restJson, send } from '../../src/aws/index.js';
import { startBudget } from '../../src/sources/remote/budget.js';
import { retriesOf, retrying } from '../../src/sources/remote/retry.js';
import { rejection as rejectionOf } from '../helpers.js';
import { type FakeAws, json, lightEnv, startFakeAws } from './fake-aws.js';

let server: FakeAws | undefined;

async function serve(...args: Parameters<typeof startFakeAws>): Promise<FakeAws> {
  server = await startFakeAws(...args);
  for (const [name, value] of Object.entries(lightEnv(server.endpoint))) vi.stubEnv(name, value);
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const signal = () => new AbortController().signal;

/**
 * The transport sends once; the remote policy's loop (src/sources/remote/retry.ts) retries, the same
 * for the light path as for the SDK. These tests drive the light transport through that loop.
 */
function withRetries<T>(attempts: number, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const budget = startBudget(undefined, 15_000);
  return retrying(op, budget, retriesOf(attempts)).finally(() => budget.dispose());
}

const rejection = (work: Promise<unknown>) => rejectionOf<AwsError & { code?: string }>(work);

describe('awsJson11', () => {
  it('sends a signed JSON 1.1 request and returns the parsed answer', async () => {
    const aws = await serve((_req, res) => json(res, 200, { Parameters: [{ Name: '/a/b', Value: 'v' }] }));
    const out = await awsJson11(
      'ssm',
      'AmazonSSM.GetParametersByPath',
      { Path: '/a/', Recursive: true },
      { signal: signal() },
    );
    expect(out).toEqual({ Parameters: [{ Name: '/a/b', Value: 'v' }] });
    const [req] = aws.received;
    expect(req?.headers['x-amz-target']).toBe('AmazonSSM.GetParametersByPath');
    expect(req?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(req?.body ?? '')).toEqual({ Path: '/a/', Recursive: true });
    expect(req?.verdict).toMatchObject({ service: 'ssm', region: 'eu-west-1' });
  });

  it('signs with the SigV4 service name of each service', async () => {
    const aws = await serve((_req, res) => json(res, 200, {}));
    await awsJson11(
      'secretsmanager',
      'secretsmanager.GetSecretValue',
      { SecretId: 'db' },
      { signal: signal(), region: 'ap-south-1' },
    );
    await restJson(
      'appconfigdata',
      { method: 'POST', path: '/configurationsessions', body: {} },
      { signal: signal() },
    );
    expect(aws.received.map((r) => [r.verdict.service, r.verdict.region])).toEqual([
      ['secretsmanager', 'ap-south-1'],
      ['appconfig', 'eu-west-1'],
    ]);
  });

  it('turns an error answer into an SDK-shaped error named by __type', async () => {
    await serve((_req, res) =>
      json(res, 400, { __type: 'com.amazonaws.ssm#ParameterNotFound', message: 'Parameter /x not found.' }),
    );
    const err = await rejection(
      awsJson11('ssm', 'AmazonSSM.GetParameter', { Name: '/x' }, { signal: signal() }),
    );
    expect(err).toBeInstanceOf(AwsError);
    expect(err.name).toBe('ParameterNotFound');
    expect(err.message).toBe('Parameter /x not found.');
    expect(err.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    expect(err.$fault).toBe('client');
  });

  it('prefers the x-amzn-errortype header and reads Message in capitals', async () => {
    await serve((_req, res) =>
      json(
        res,
        400,
        { Message: 'no such secret' },
        { 'x-amzn-ErrorType': 'ResourceNotFoundException:http://internal/' },
      ),
    );
    const err = await rejection(
      awsJson11('secretsmanager', 'secretsmanager.GetSecretValue', {}, { signal: signal() }),
    );
    expect([err.name, err.message]).toEqual(['ResourceNotFoundException', 'no such secret']);
  });

  it('is retried on throttling and 5xx by the policy, which gives up after its short retries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const aws = await serve((_req, res, i) =>
      i === 0
        ? json(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' })
        : json(res, 500, {}),
    );
    const err = await rejection(
      withRetries(3, (signal) => awsJson11('ssm', 'AmazonSSM.GetParametersByPath', {}, { signal })),
    );
    // A throttle does not use up the short retries: 1 throttled + 3 attempts at the 500s.
    expect(aws.received).toHaveLength(4);
    expect(err.name).toBe('InternalError');
    expect(err.$metadata).toMatchObject({ httpStatusCode: 500, attempts: 4 });
    expect(err.$fault).toBe('server');
  });

  it('answers with the attempt that succeeded, signed again (new date, same scope)', async () => {
    const aws = await serve((_req, res, i) => (i === 0 ? json(res, 500, {}) : json(res, 200, { ok: true })));
    expect(
      await withRetries(3, (signal) => awsJson11('ssm', 'AmazonSSM.GetParameter', {}, { signal })),
    ).toEqual({ ok: true });
    expect(aws.received).toHaveLength(2);
    expect(aws.received.every((r) => r.verdict.ok)).toBe(true);
  });

  it('is not retried on an authoritative answer', async () => {
    const aws = await serve((_req, res) =>
      json(res, 400, { __type: 'AccessDeniedException', message: 'no' }),
    );
    const err = await rejection(
      withRetries(3, (signal) => awsJson11('ssm', 'AmazonSSM.GetParameter', {}, { signal })),
    );
    expect(aws.received).toHaveLength(1);
    expect(err.name).toBe('AccessDeniedException');
  });

  it('reads the credentials at send time, not before', async () => {
    const aws = await serve((_req, res) => json(res, 200, {}));
    const pending = awsJson11('ssm', 'AmazonSSM.GetParameter', {}, { signal: signal() });
    await pending;
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'rotated');
    const err = await rejection(awsJson11('ssm', 'AmazonSSM.GetParameter', {}, { signal: signal() }));
    expect(err.name).toBe('InvalidSignatureException');
    expect(aws.received).toHaveLength(1);
  });

  it('says "Region is missing" as the SDK does when no region is set', async () => {
    await serve((_req, res) => json(res, 200, {}));
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', '');
    const err = await rejection(awsJson11('ssm', 'AmazonSSM.GetParameter', {}, { signal: signal() }));
    expect(err.message).toBe('Region is missing');
  });
});

describe('send', () => {
  it('keeps a network error code, and the policy counts the attempts', async () => {
    const aws = await serve((_req, res) => json(res, 200, {}));
    await aws.close();
    const err = await rejection(
      withRetries(2, (signal) => awsJson11('ssm', 'AmazonSSM.GetParameter', {}, { signal })),
    );
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.$metadata.attempts).toBe(2);
  });

  it('stops waiting when the signal fires, with its reason', async () => {
    await serve(() => {
      /* never answers */
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('no answer within 50 ms (timeoutMs)')), 50);
    const err = await rejection(
      awsJson11('ssm', 'AmazonSSM.GetParameter', {}, { signal: controller.signal }),
    );
    expect(err.message).toBe('no answer within 50 ms (timeoutMs)');
  });

  it('sends query parameters encoded and signed (REST-JSON GET)', async () => {
    const aws = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Next-Poll-Configuration-Token': 'next' });
      res.end('{"a":1}');
    });
    const token = 'AYADe+/tok en=='; // tokens carry +, / and =
    const out = await restJson(
      'appconfigdata',
      { method: 'GET', path: '/configuration', query: { configuration_token: token } },
      { signal: signal() },
    );
    expect(out.headers['next-poll-configuration-token']).toBe('next');
    expect(parseJsonBody(out)).toEqual({ a: 1 });
    const url = new URL(aws.received[0]?.url ?? '', 'http://x');
    expect(url.pathname).toBe('/configuration');
    expect(url.searchParams.get('configuration_token')).toBe(token);
  });

  it('parses a REST-JSON error from the x-amzn-errortype header', async () => {
    await serve((_req, res) => {
      res.writeHead(400, { 'x-amzn-errortype': 'BadRequestException' });
      res.end('{"Message":"token expired"}');
    }, 'rest-json');
    const err = await rejection(
      send(
        { service: 'appconfigdata', protocol: 'rest-json', method: 'GET', path: '/configuration' },
        { signal: signal() },
      ),
    );
    expect([err.name, err.message, err.$metadata.httpStatusCode]).toEqual([
      'BadRequestException',
      'token expired',
      400,
    ]);
  });

  it('turns a non-JSON 200 into a SerializationException', async () => {
    await serve((_req, res) => res.end('<html>'));
    const err = await rejection(awsJson11('ssm', 'AmazonSSM.GetParameter', {}, { signal: signal() }));
    expect(err.name).toBe('SerializationException');
  });
});
