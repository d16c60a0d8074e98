import { Console } from 'node:console';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  fromFile,
  fromObject,
  type Logger,
  loadConfig,
  resetConfigCache,
  type Source,
} from '../src/index.js';
import { defaultLogger } from '../src/logger.js';
import { captureWarnings } from '../src/testing.js';

beforeEach(() => resetConfigCache());

/** Routes `console.warn` through a real Node `Console` on a buffer, and returns what it printed. */
function captureConsoleWarn(): { text: () => string; calls: () => unknown[][] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const real = new Console({ stdout: stream, stderr: stream });
  const spy = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => real.warn(...args));
  return { text: () => chunks.join(''), calls: () => spy.mock.calls };
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** What the Lambda Node.js runtime (aws-lambda-ric, JSON format) writes for `console.warn(arg)` with one argument. */
function lambdaJsonConsoleLine(arg: unknown): string {
  return JSON.stringify({
    timestamp: new Date().toISOString(),
    level: 'WARN',
    requestId: 'req-1',
    message: arg,
  });
}

const dropped = { code: 'SOURCE_DROPPED', source: 's3://cfg/prod.json5', reason: 'NoSuchKey' };

describe('defaultLogger', () => {
  it('writes one text line per warning, led by its code', () => {
    const out = captureConsoleWarn();
    defaultLogger.warn('dropped optional source s3://cfg/prod.json5: NoSuchKey', dropped);
    expect(out.text()).toBe(
      '[strataconf] SOURCE_DROPPED: dropped optional source s3://cfg/prod.json5: NoSuchKey\n',
    );
  });

  it('folds a multi-line message into one line', () => {
    const out = captureConsoleWarn();
    defaultLogger.warn('reload failed:\n  - db.host: set it\n  - db.port: set it', { code: 'RELOAD_FAILED' });
    expect(lines(out.text())).toEqual([
      '[strataconf] RELOAD_FAILED: reload failed: - db.host: set it - db.port: set it',
    ]);
  });

  it.each(['JSON', 'json'])(
    'with AWS_LAMBDA_LOG_FORMAT=%s outside the Lambda runtime, prints one JSON line with level, timestamp and code',
    (format) => {
      vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', format);
      const out = captureConsoleWarn();
      defaultLogger.warn('dropped optional source s3://cfg/prod.json5: NoSuchKey', dropped);
      const [line, ...rest] = lines(out.text());
      expect(rest).toEqual([]);
      const parsed = JSON.parse(line as string) as Record<string, unknown>;
      expect(parsed).toEqual({
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        level: 'WARN',
        logger: 'strataconf',
        message: 'dropped optional source s3://cfg/prod.json5: NoSuchKey',
        ...dropped,
      });
    },
  );

  it('under the Lambda runtime JSON console, hands over an object whose fields stay structured', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
    const out = captureConsoleWarn();
    defaultLogger.warn('dropped optional source s3://cfg/prod.json5: NoSuchKey', dropped);
    expect(out.calls()).toHaveLength(1);
    const line = JSON.parse(lambdaJsonConsoleLine(out.calls()[0]?.[0])) as {
      message: Record<string, unknown>;
    };
    expect(line.message).toEqual({
      level: 'WARN',
      logger: 'strataconf',
      message: 'dropped optional source s3://cfg/prod.json5: NoSuchKey',
      ...dropped,
    });
  });

  it('keeps its own level, logger and message when details use those names', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
    const out = captureConsoleWarn();
    defaultLogger.warn('the message', {
      code: 'X',
      level: 'DEBUG',
      message: 'other',
      logger: 'me',
      extra: 1,
    });
    expect(JSON.parse(out.text())).toMatchObject({
      level: 'WARN',
      logger: 'strataconf',
      message: 'the message',
    });
    expect(JSON.parse(out.text())).toMatchObject({ code: 'X', extra: 1 });
  });

  it('never throws on details JSON cannot hold, and keeps the code', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
    const out = captureConsoleWarn();
    const circular: { code: string; [key: string]: unknown } = { code: 'RELOAD_FAILED' };
    circular.self = circular;
    defaultLogger.warn('circular', circular);
    defaultLogger.warn('bigint and error', { code: 'X', size: 10n, cause: new Error('boom') });
    const [first, second] = lines(out.text()).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ message: 'circular', code: 'RELOAD_FAILED' });
    expect(second).toMatchObject({ code: 'X', size: '10', cause: { name: 'Error', message: 'boom' } });
  });
});

/** A user-written source that serves the given layers in turn (the last one again once they run out). */
function sequence(name: string, ...layers: (object | Error)[]): Source {
  let i = 0;
  return {
    name,
    async load() {
      const layer = layers[Math.min(i++, layers.length - 1)];
      if (layer instanceof Error) throw layer;
      return layer;
    },
  };
}

describe('warnings through the default logger', () => {
  it.each([
    [
      'SOURCE_DROPPED',
      async () => {
        await loadConfig({
          sources: [fromObject({ a: 1 }), fromFile('/nonexistent/strataconf.json5', { optional: true })],
        });
      },
    ],
    [
      'UNEXPECTED_OVERRIDE',
      async () => {
        await loadConfig({ sources: [fromObject({ a: 1 }), fromObject({ a: 2 }, { name: 'second' })] });
      },
    ],
    [
      'RELOAD_FAILED',
      async () => {
        const options = { maxAge: 0, sources: [sequence('flaky', { a: 1 }, new Error('network down'))] };
        await loadConfig(options);
        await loadConfig(options);
      },
    ],
  ])('writes %s as exactly one line carrying the code', async (code, run) => {
    const out = captureConsoleWarn();
    await run();
    expect(lines(out.text())).toEqual([expect.stringMatching(new RegExp(`^\\[strataconf\\] ${code}: `))]);
  });

  it('writes each of them as one JSON line with its code under the JSON log format', async () => {
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
    const out = captureConsoleWarn();
    await loadConfig({
      sources: [
        fromObject({ a: 1 }),
        fromObject({ a: 2 }, { name: 'second' }),
        fromFile('/nonexistent/strataconf.json5', { optional: true }),
      ],
    });
    const flaky = { maxAge: 0, sources: [sequence('flaky', { b: 1 }, new Error('network down'))] };
    await loadConfig(flaky);
    await loadConfig(flaky);
    const codes = lines(out.text()).map((l) => (JSON.parse(l) as { code: string }).code);
    expect(codes.sort()).toEqual(['RELOAD_FAILED', 'SOURCE_DROPPED', 'UNEXPECTED_OVERRIDE']);
  });
});

/** The types of `Logger.warn` in @aws-lambda-powertools/logger (v2), written out: Powertools is no dependency. */
type LogAttributes = { [key: string]: unknown };
type LogItemMessage = string | (LogAttributes & { message: string });
type LogItemExtraInput = [Error | string] | LogAttributes[];

/** Structurally a Powertools `Logger` for `warn`: extra attribute objects become keys of the log item. */
class PowertoolsShapedLogger {
  readonly items: LogAttributes[] = [];
  warn(input: LogItemMessage, ...extraInput: LogItemExtraInput): void {
    const base = typeof input === 'string' ? { message: input } : input;
    this.items.push(
      Object.assign({ level: 'WARN' }, base, ...extraInput.filter((x) => typeof x === 'object')),
    );
  }
}

/** pino's `LogFn` overloads (the object first, the message second), written out: pino is no dependency. */
interface PinoLogFn {
  <T extends object>(obj: T, msg?: string, ...args: unknown[]): void;
  (msg: string, ...args: unknown[]): void;
}

function pinoShapedLogger(): { warn: PinoLogFn; lines: Record<string, unknown>[] } {
  const out: Record<string, unknown>[] = [];
  const warn = ((first: unknown, second?: unknown) => {
    // pino merges an object first argument into the line; a string first argument is the message, and
    // later arguments only fill printf placeholders (so an object there is not merged).
    if (typeof first === 'string') out.push({ level: 40, msg: first });
    else out.push({ level: 40, ...(first as object), msg: second });
  }) as PinoLogFn;
  return { warn, lines: out };
}

describe('loggers a user passes', () => {
  const overriding = () => [fromObject({ a: 1 }), fromObject({ a: 2 }, { name: 'second' })];

  it('takes console as it is', async () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await loadConfig({ sources: overriding(), logger: console });
    expect(spy).toHaveBeenCalledOnce();
    expect(spy).toHaveBeenCalledWith(
      expect.stringContaining('second'),
      expect.objectContaining({ code: 'UNEXPECTED_OVERRIDE' }),
    );
  });

  it('takes a Powertools Logger as it is, and the code becomes a key of its log item', async () => {
    const powertools = new PowertoolsShapedLogger();
    const logger: Logger = powertools;
    await loadConfig({ sources: overriding(), logger });
    expect(powertools.items).toEqual([
      expect.objectContaining({
        level: 'WARN',
        code: 'UNEXPECTED_OVERRIDE',
        path: ['a'],
        from: ['object'],
        by: 'second',
      }),
    ]);
  });

  it("takes pino through a one-line adapter for pino's (object, message) order", async () => {
    const pino = pinoShapedLogger();
    const logger: Logger = { warn: (msg, details) => pino.warn(details ?? {}, msg) };
    await loadConfig({ sources: overriding(), logger });
    expect(pino.lines).toEqual([
      expect.objectContaining({
        level: 40,
        code: 'UNEXPECTED_OVERRIDE',
        msg: expect.stringContaining('second'),
      }),
    ]);
  });
});

describe('no secret value in any warning', () => {
  const first = 'sk-FIRST-0123456789abcdef';
  const second = 'sk-SECOND-fedcba9876543210';
  const rejected = 'sk-SHORT';
  const schema = z.object({ apiKey: z.string().min(20).meta({ secret: true }) });
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strataconf-logger-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Runs a scenario twice, into a captured logger and then through the default logger (JSON format),
   * and returns every text either wrote.
   */
  async function warningTexts(scenario: (logger?: Logger) => Promise<void>): Promise<string[]> {
    const logger = captureWarnings();
    await scenario(logger);
    resetConfigCache();
    vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
    const out = captureConsoleWarn();
    await scenario(undefined);
    const captured = logger.warnings.map((w) => `${w.message} ${JSON.stringify(w.details)}`);
    expect(captured).toHaveLength(1);
    expect(lines(out.text())).toHaveLength(1);
    return [...captured, ...lines(out.text())];
  }

  function expectNoSecret(texts: string[]): void {
    for (const text of texts) {
      for (const secret of [first, second, rejected]) expect(text).not.toContain(secret);
    }
  }

  it('holds for an unexpected override of a secret', async () => {
    const texts = await warningTexts(async (logger) => {
      const sources = [fromObject({ apiKey: first }), fromObject({ apiKey: second }, { name: 'second' })];
      await loadConfig({ schema, sources, ...(logger && { logger }) });
    });
    expect(texts[0]).toContain('UNEXPECTED_OVERRIDE');
    expectNoSecret(texts);
  });

  it('holds for a reload the schema rejects', async () => {
    const texts = await warningTexts(async (logger) => {
      const options = {
        schema,
        maxAge: 0,
        sources: [sequence('secrets', { apiKey: first }, { apiKey: rejected })],
      };
      await loadConfig({ ...options, ...(logger && { logger }) });
      expect(await loadConfig({ ...options, ...(logger && { logger }) })).toEqual({ apiKey: first });
    });
    expect(texts[0]).toContain('RELOAD_FAILED');
    expectNoSecret(texts);
  });

  it('holds for a reload that meets a corrupt file holding the secret', async () => {
    const texts = await warningTexts(async (logger) => {
      const path = join(dir, 'secrets.json5');
      writeFileSync(path, `{ apiKey: "${first}" }`);
      const options = { schema, maxAge: 0, sources: [fromFile(path)], ...(logger && { logger }) };
      await loadConfig(options);
      writeFileSync(path, `{ apiKey: "${second}" oops }`);
      expect(await loadConfig(options)).toEqual({ apiKey: first });
    });
    expect(texts[0]).toContain('PARSE_ERROR');
    expectNoSecret(texts);
  });
});
