import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  fromAppConfig,
  fromS3,
  fromSecret,
  fromSsm,
  loadConfig,
  resetConfigCache,
  type Source,
} from '../../src/index.js';
import { captureWarnings } from '../../src/testing.js';
import { cli } from '../cli/run-cli.js';
import { unusedPort } from '../helpers.js';
import { type AwsPath, callerClient, PATHS, useAwsPath } from './aws-paths.js';
import { type HostileEndpoint, startHostileEndpoint } from './hostile-endpoint.js';
import { expectNoSecrets, surfaces } from './leaks.js';

/**
 * A store's error answer may quote the request it expected (AWS's signature errors quote the
 * canonical request, whose `x-amz-security-token` line is the session token; S3's error document
 * carries it as `<CanonicalRequest>`), or a broken endpoint may echo the credentials anywhere. Planted
 * in every error shape of every store, on every path (strataconf's own requests, its SDK clients, a
 * caller's client): neither the session token nor the secret key appears in the error's message,
 * details or cause chain (hidden fields included), in a warning, or in the CLI's output.
 */

const CREDENTIALS = {
  accessKeyId: 'AKIDPLANTEDHARDEN',
  secretAccessKey: 'wJalrXUtnFEMI-PLANTED-secret-key-3b9e',
  sessionToken: 'FwoGZXIvYXdzEPLANTED-session-token-7c1d',
};
const SECRETS = [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken];
const { secretAccessKey: SECRET, sessionToken: TOKEN } = CREDENTIALS;

const CANONICAL = [
  'POST',
  '/',
  '',
  'content-type:application/x-amz-json-1.1',
  'host:127.0.0.1',
  'x-amz-date:20260101T000000Z',
  `x-amz-security-token:${TOKEN}`,
  '',
  'content-type;host;x-amz-date;x-amz-security-token',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
].join('\n');
/** What AWS's JSON services answer to a signature that does not match. */
const AWS_SIGNATURE_MESSAGE = `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${CANONICAL}'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260101T000000Z\n20260101/us-east-1/ssm/aws4_request\nabc'\n`;
/** A broken endpoint echoing the credentials in its words. */
const ECHO = `token ${TOKEN} key ${SECRET} Authorization: AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20260101/us-east-1/s3/aws4_request, Signature=abc x-amz-security-token=${TOKEN}`;

type Shape = (res: ServerResponse) => void;

const json =
  (status: number, type: string, member: 'message' | 'Message', text: string): Shape =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ __type: type, [member]: text }));
  };
const restJson =
  (status: number, type: string, member: 'message' | 'Message', text: string): Shape =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ [member]: text }));
  };
const xml =
  (status: number, code: string): Shape =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${ECHO}</Message><AWSAccessKeyId>${CREDENTIALS.accessKeyId}</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n${TOKEN}</StringToSign><SignatureProvided>abc</SignatureProvided><CanonicalRequest>${CANONICAL}</CanonicalRequest><CanonicalRequestBytes>50 4f</CanonicalRequestBytes><RequestId>R1</RequestId><HostId>${SECRET}</HostId></Error>`,
    );
  };

type Store = 'ssm' | 'secrets' | 'appconfig' | 's3';

const SHAPES: Record<Store, [string, Shape][]> = {
  ssm: [
    [
      'InvalidSignatureException quoting the canonical request',
      json(400, 'InvalidSignatureException', 'message', AWS_SIGNATURE_MESSAGE),
    ],
    [
      'AccessDeniedException echoing the credentials (Message)',
      json(400, 'AccessDeniedException', 'Message', ECHO),
    ],
    ['a 500 echoing the credentials', json(500, 'InternalServerError', 'message', ECHO)],
  ],
  secrets: [
    [
      'InvalidSignatureException quoting the canonical request',
      json(400, 'InvalidSignatureException', 'Message', AWS_SIGNATURE_MESSAGE),
    ],
    ['an unknown 400 echoing the credentials', json(400, 'SomethingNewException', 'message', ECHO)],
  ],
  appconfig: [
    [
      'BadRequestException quoting the canonical request',
      restJson(400, 'BadRequestException', 'Message', AWS_SIGNATURE_MESSAGE),
    ],
    [
      'AccessDeniedException echoing the credentials',
      restJson(403, 'AccessDeniedException', 'message', ECHO),
    ],
  ],
  s3: [
    ['SignatureDoesNotMatch with CanonicalRequest and StringToSign', xml(403, 'SignatureDoesNotMatch')],
    ['an unknown 400 with the same document', xml(400, 'SomethingNew')],
  ],
};

function source(store: Store, path: AwsPath, endpoint: string, optional: boolean): Source {
  const client = path === 'client' ? { client: callerClient(store, endpoint, CREDENTIALS) as never } : {};
  const opts = { optional, ...client };
  if (store === 'ssm') return fromSsm('/app/', opts);
  if (store === 'secrets') return fromSecret('db', opts);
  if (store === 'appconfig') return fromAppConfig('app/prod/settings', opts);
  return fromS3('s3://config-bucket/prod.json5', opts);
}

let aws: HostileEndpoint;
let closedPort: number;
beforeAll(async () => {
  aws = await startHostileEndpoint((_req, res) => res.end());
  // A port nothing listens on: the AppConfig extension is not there, its layer reads the API.
  closedPort = await unusedPort();
});
afterAll(() => aws.close());
afterEach(() => resetConfigCache());

const cases = (Object.keys(SHAPES) as Store[]).flatMap((store) =>
  PATHS.flatMap((path) => SHAPES[store].map(([what, shape]) => [store, path, what, shape] as const)),
);

describe('no credential from an error answer that quotes it', () => {
  it.each(cases)('%s over %s: %s', async (store, path, _what, shape) => {
    useAwsPath(path, aws.endpoint, CREDENTIALS);
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(closedPort));
    aws.answer = (_req, res) => shape(res);
    const required = await loadConfig({ sources: [source(store, path, aws.endpoint, false)] }).catch(
      (err: unknown) => err,
    );
    expect(required).toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    // The cause still says what happened: the error's name and HTTP status.
    expect((required as Error).cause).toMatchObject({ $metadata: { httpStatusCode: expect.any(Number) } });
    const logger = captureWarnings();
    await loadConfig({ sources: [source(store, path, aws.endpoint, true)], logger });
    expect(logger.codes()).toEqual(['SOURCE_DROPPED']);
    expectNoSecrets(surfaces(required, logger.warnings), SECRETS);
  });
});

describe('no credential from the CLI when a store quotes it', () => {
  it.each([
    ['ssm!:/app/', SHAPES.ssm[0]?.[1]],
    ['secret!:db', SHAPES.secrets[1]?.[1]],
    ['appconfig!:app/prod/settings', SHAPES.appconfig[0]?.[1]],
  ] as const)('%s exits 1 with no credential in its output', async (spec, shape) => {
    useAwsPath('light', aws.endpoint, CREDENTIALS);
    vi.stubEnv('AWS_APPCONFIG_EXTENSION_HTTP_PORT', String(closedPort));
    aws.answer = (_req, res) => shape?.(res);
    const result = await cli(['print', '--source', spec]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unavailable');
    expectNoSecrets(`${result.stdout}\n${result.stderr}`, SECRETS);
  });
});
