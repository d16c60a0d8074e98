/**
 * A local SSM Parameter Store (GetParametersByPath over AWS JSON 1.1; see aws-json-server.ts for the
 * protocol). Parameters are seeded in memory by the test, per server.
 *
 * @example
 * ```ts
 * const ssm = await startSsmServer({ '/orders/prod/db/host': 'db.internal', '/orders/prod/db/password': { value: 's3cret', type: 'SecureString' } });
 * vi.stubEnv('AWS_ENDPOINT_URL_SSM', ssm.endpoint);
 * ```
 */
import {
  type AwsJsonServer,
  type AwsJsonServerOptions,
  ServiceError,
  sigV4,
  startAwsJsonServer,
  validationError,
} from './aws-json-server.js';

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface SeedParameter {
  value: string;
  type?: ParameterType;
  /** A SecureString's KMS key; `'denied'` makes decryption fail as a key the role may not use. */
  keyId?: string;
}

export interface SsmServerOptions {
  /** Empty pages (each with a NextToken) answered before the first parameter. @default 0 */
  emptyPages?: number;
  /** Path prefixes whose reading is denied (AccessDeniedException). */
  denied?: string[];
  /** Checks each request's signature. @default sigV4() (TEST_CREDENTIALS); `false` checks none */
  verify?: AwsJsonServerOptions['verify'] | false;
}

export interface SsmServer extends AwsJsonServer {
  /** Sets (or replaces) parameters; a new value bumps the parameter's version. */
  put(params: Record<string, string | SeedParameter>): void;
  remove(name: string): void;
}

interface Stored extends Required<Omit<SeedParameter, 'keyId'>> {
  keyId?: string;
  version: number;
  modified: number;
}

const REGION_ACCOUNT = 'us-east-1:123456789012';

function encrypted(value: string): string {
  // What SSM answers for a SecureString without WithDecryption: ciphertext, never the value.
  return `AQICAHh${Buffer.from(`${value.length}:sealed`).toString('base64')}`;
}

function token(state: { offset: number; empties: number }): string {
  return Buffer.from(JSON.stringify(state)).toString('base64');
}

function readToken(text: unknown): { offset: number; empties: number } {
  try {
    const state = JSON.parse(Buffer.from(String(text), 'base64').toString('utf8'));
    if (Number.isInteger(state.offset) && Number.isInteger(state.empties)) return state;
  } catch {}
  throw new ServiceError({
    status: 400,
    type: 'InvalidNextToken',
    messageKey: 'Message',
    message: 'The specified token is not valid.',
  });
}

function checkInput(input: Record<string, unknown>): { path: string; max: number } {
  const path = input.Path;
  if (typeof path !== 'string' || !path.startsWith('/') || path.length > 2048)
    throw validationError("1 validation error detected: Value at 'path' failed to satisfy constraint");
  const max = input.MaxResults ?? 10;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10)
    throw validationError(
      `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`,
    );
  return { path: path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path, max };
}

/** Starts a local SSM endpoint holding `params`. */
export async function startSsmServer(
  params: Record<string, string | SeedParameter> = {},
  opts: SsmServerOptions = {},
): Promise<SsmServer> {
  const store = new Map<string, Stored>();
  const put = (more: Record<string, string | SeedParameter>) => {
    for (const [name, seed] of Object.entries(more)) {
      const p = typeof seed === 'string' ? { value: seed } : seed;
      const old = store.get(name);
      if (old && old.value === p.value && old.type === (p.type ?? 'String')) continue;
      store.set(name, {
        value: p.value,
        type: p.type ?? 'String',
        ...(p.keyId === undefined ? {} : { keyId: p.keyId }),
        version: (old?.version ?? 0) + 1,
        modified: Date.now() / 1000,
      });
    }
  };
  put(params);

  function getParametersByPath(input: Record<string, unknown>) {
    const { path, max } = checkInput(input);
    const denied = opts.denied?.find((d) => path.startsWith(d));
    if (denied !== undefined)
      throw new ServiceError({
        status: 400,
        type: 'AccessDeniedException',
        messageKey: 'Message',
        message: `User: arn:aws:sts::123456789012:assumed-role/fn/fn is not authorized to perform: ssm:GetParametersByPath on resource: arn:aws:ssm:${REGION_ACCOUNT}:parameter${path}`,
      });
    const state = input.NextToken === undefined ? { offset: 0, empties: 0 } : readToken(input.NextToken);
    const under = path === '/' ? '/' : `${path}/`;
    const names = [...store.keys()]
      .filter(
        (n) => n.startsWith(under) && (input.Recursive === true || !n.slice(under.length).includes('/')),
      )
      .sort();
    if (state.empties < (opts.emptyPages ?? 0))
      return { Parameters: [], NextToken: token({ ...state, empties: state.empties + 1 }) };
    const page = names.slice(state.offset, state.offset + max);
    const decrypt = input.WithDecryption === true;
    const parameters = page.map((name) => {
      const p = store.get(name) as Stored;
      if (decrypt && p.type === 'SecureString' && p.keyId === 'denied')
        throw new ServiceError({
          status: 400,
          type: 'AccessDeniedException',
          messageKey: 'Message',
          message:
            'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
        });
      return {
        Name: name,
        Type: p.type,
        Value: p.type === 'SecureString' && !decrypt ? encrypted(p.value) : p.value,
        Version: p.version,
        LastModifiedDate: p.modified,
        ARN: `arn:aws:ssm:${REGION_ACCOUNT}:parameter${name}`,
        DataType: 'text',
      };
    });
    const next = state.offset + max;
    return next < names.length
      ? { Parameters: parameters, NextToken: token({ offset: next, empties: state.empties }) }
      : { Parameters: parameters };
  }

  const server = await startAwsJsonServer({
    targetPrefix: 'AmazonSSM',
    operations: { GetParametersByPath: getParametersByPath },
    ...(opts.verify === false ? {} : { verify: opts.verify ?? sigV4() }),
  });
  return { ...server, put, remove: (name) => void store.delete(name) };
}
