import { createHash } from 'node:crypto';
import { type Call, json11Request, type Store } from './call.js';
import type { ReceivedRequest } from './sigv4.js';
import type { LocalSsmParameter } from './types.js';
import { ACCOUNT, type Answer, AwsFailure, json } from './wire.js';

/**
 * SSM Parameter Store over AWS JSON 1.1: GetParametersByPath (pages of at most `MaxResults`,
 * `NextToken`, `Recursive`, `WithDecryption`) and GetParameter. A page covers the next
 * `MaxResults` names under the path in order; without `Recursive` the deeper ones are skipped, so
 * a page may be empty and still carry a `NextToken`, as SSM's pages can.
 */

type ParameterType = 'String' | 'StringList' | 'SecureString';

interface Stored {
  value: string;
  type: ParameterType;
  version: number;
  /** Seconds since the epoch, as the JSON protocol carries dates. */
  modified: number;
}

const TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];

const failure = (code: string, message: string) => new AwsFailure(400, code, message);

/** What SSM answers for a SecureString read without decryption: a ciphertext, never the value. */
function sealed(value: string): string {
  return `AQICAHh${createHash('sha256').update(value).digest('base64')}`;
}

/** Parses a request to SSM. */
export function parseSsm(req: ReceivedRequest): Call {
  const { operation, input } = json11Request(req);
  const name = String(input.Path ?? input.Name ?? '');
  return {
    service: 'ssm',
    format: 'ssm',
    operation,
    input,
    resource: name,
    arn: (region) => `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
  };
}

function pageToken(path: string, offset: number): string {
  return Buffer.from(JSON.stringify({ path, offset })).toString('base64');
}

function readToken(token: unknown, path: string): number {
  try {
    const state = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8'));
    if (state.path === path && Number.isInteger(state.offset) && state.offset >= 0) return state.offset;
  } catch {}
  throw failure('InvalidNextToken', 'The specified token is not valid.');
}

function checkPath(input: Record<string, unknown>): { path: string; max: number } {
  const path = input.Path;
  if (typeof path !== 'string' || !path.startsWith('/') || path.length > 2048)
    throw failure(
      'ValidationException',
      "1 validation error detected: Value at 'path' failed to satisfy constraint: Member must begin with /",
    );
  const max = input.MaxResults ?? 10;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10)
    throw failure(
      'ValidationException',
      `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`,
    );
  return { path: path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path, max };
}

/** The parameters, by name. */
export class SsmStore implements Store {
  private readonly params = new Map<string, Stored>();

  put(name: string, given: LocalSsmParameter): void {
    const p = typeof given === 'string' ? { value: given } : given;
    const type = p.type ?? 'String';
    if (name === '' || typeof p.value !== 'string' || !TYPES.includes(type))
      throw new TypeError(
        `an SSM parameter needs a name and a string value of type ${TYPES.join(', ')} (${JSON.stringify(name)})`,
      );
    const old = this.params.get(name);
    if (old && old.value === p.value && old.type === type) return;
    this.params.set(name, {
      value: p.value,
      type,
      version: (old?.version ?? 0) + 1,
      modified: Date.now() / 1000,
    });
  }

  remove(name: string): void {
    this.params.delete(name);
  }

  serve(call: Call, region: string): Answer {
    if (call.operation === 'GetParametersByPath') return json('ssm', this.byPath(call.input, region));
    if (call.operation === 'GetParameter') return json('ssm', this.one(call.input, region));
    throw failure(
      'UnknownOperationException',
      `this local SSM serves GetParametersByPath and GetParameter, not ${call.operation}; seed parameters with startLocalAws or put()`,
    );
  }

  private answer(name: string, p: Stored, decrypt: boolean, region: string) {
    return {
      Name: name,
      Type: p.type,
      Value: p.type === 'SecureString' && !decrypt ? sealed(p.value) : p.value,
      Version: p.version,
      LastModifiedDate: p.modified,
      ARN: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      DataType: 'text',
    };
  }

  private byPath(input: Record<string, unknown>, region: string) {
    const { path, max } = checkPath(input);
    const offset = input.NextToken === undefined ? 0 : readToken(input.NextToken, path);
    const under = path === '/' ? '/' : `${path}/`;
    const names = [...this.params.keys()].filter((n) => n.startsWith(under)).sort();
    const direct = (n: string) => input.Recursive === true || !n.slice(under.length).includes('/');
    const page = names.slice(offset, offset + max).filter(direct);
    const decrypt = input.WithDecryption === true;
    const parameters = page.map((n) => this.answer(n, this.params.get(n) as Stored, decrypt, region));
    const next = offset + max;
    return next < names.length
      ? { Parameters: parameters, NextToken: pageToken(path, next) }
      : { Parameters: parameters };
  }

  private one(input: Record<string, unknown>, region: string) {
    const name = input.Name;
    if (typeof name !== 'string' || name === '')
      throw failure(
        'ValidationException',
        "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must not be null",
      );
    const p = this.params.get(name);
    if (!p) throw failure('ParameterNotFound', `Parameter ${name} not found.`);
    return { Parameter: this.answer(name, p, input.WithDecryption === true, region) };
  }
}
