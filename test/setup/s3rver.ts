/**
 * Vitest global setup: a real S3-compatible server (s3rver, pure JS) on 127.0.0.1, on a free port,
 * storing into a fresh temp directory; stopped and deleted when the run ends. Nothing to start by hand.
 *
 * How to use it (vitest.config.ts lists this file in `test.globalSetup`, so it runs for every run):
 * - In a test, `inject('s3')` gives `{ endpoint, region, accessKeyId, secretAccessKey, requestLog }`;
 *   the helpers in `test/setup/s3.ts` wrap it: `s3Env()` (the variables that point the AWS SDK at the
 *   server), `stubS3Env()` (the same through `vi.stubEnv`), `testS3Client()`, `seedObjects()`,
 *   `requestsFor()` (what the server answered, read from `requestLog`).
 * - For a child process (the CLI, a Lambda handler), `process.env.STRATACONF_TEST_S3_ENDPOINT` holds
 *   the endpoint too; pass `s3Env()` as the child's environment.
 * - Use a bucket name of your own per test file: files run concurrently against one server.
 *
 * s3rver facts: the access key id must be `S3RVER` (any other gets `InvalidAccessKeyId`), signatures are
 * not checked, `IfNoneMatch` answers 304; seed objects with string or Buffer bodies.
 */
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { TestProject } from 'vitest/node';

/** What `inject('s3')` returns in a test. */
export interface S3TestServer {
  /** `http://127.0.0.1:PORT`: use with `forcePathStyle: true` or as `AWS_ENDPOINT_URL_S3`. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A file with one JSON line per request: `{ method, path, status, ifNoneMatch }`. */
  requestLog: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3TestServer;
  }
}

/** One line of the request log. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  ifNoneMatch: string | null;
}

/** A Koa middleware, put first, that appends every request and the status it got to `file`. */
function requestLogger(file: string) {
  return async (
    ctx: { method: string; path: string; status: number; get(h: string): string },
    next: () => Promise<void>,
  ) => {
    let status: number | undefined;
    try {
      await next();
    } catch (err) {
      status = (err as { status?: number }).status ?? 500;
      throw err;
    } finally {
      const line: LoggedRequest = {
        method: ctx.method,
        path: decodeURIComponent(ctx.path),
        status: status ?? ctx.status,
        ifNoneMatch: ctx.get('if-none-match') || null,
      };
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    }
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'strataconf-s3rver-'));
  const requestLog = join(dir, 'requests.ndjson');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(dir, 'store'),
  });
  // Koa composes its middleware when the server starts listening, so the logger can go first now.
  server.middleware.unshift(requestLogger(requestLog));
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  project.provide('s3', {
    endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    requestLog,
  });
  process.env.STRATACONF_TEST_S3_ENDPOINT = endpoint;
  return async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  };
}
