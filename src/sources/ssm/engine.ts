import type { Source } from '../../types.js';
import type { Budget } from '../remote/budget.js';
import { type Connection, connectAws } from '../remote/connect.js';
import { denied, invalid, RemoteFailure, type ServiceErrors } from '../remote/failure.js';
import type { RemoteFront } from '../remote/lazy.js';
import { type Fetched, remoteSource } from '../remote/source.js';
import { type KeptParameter, keepParameters, sameParameters, ssmLayer } from './layer.js';
import { lightSsm } from './light.js';
import { sdkSsm } from './sdk.js';
import type { SsmApi, SsmClientLike, SsmParameter } from './wire.js';

/**
 * How an SSM layer reads its parameters: imported at the layer's first load (source.ts checks the
 * options and says what the layer reads), so a function without remote layers never loads it.
 */

/**
 * Attempts per request strataconf sends itself: SSM's Get* calls share 40 requests per second per
 * account and region, which a fleet's cold start can pass.
 */
const ATTEMPTS = 3;

/** One read of the path: its parameters and their deferred layer. */
interface Read extends Fetched {
  params: KeptParameter[];
}

const MAX_PAGES = 1000;

function ssmErrors(path: string): ServiceErrors {
  const hint = `the role needs ssm:GetParametersByPath on the path ${path} (and kms:Decrypt on the KMS key of its SecureString parameters, when a customer managed key)`;
  return {
    service: 'SSM',
    deniedHint: hint,
    byName: {
      AccessDeniedException: denied(`access denied (AccessDeniedException): ${hint}`),
      InvalidKeyId: denied(
        `a SecureString's KMS key cannot be used (InvalidKeyId): the role needs kms:Decrypt on it`,
      ),
      ValidationException: invalid('SSM refused the path (ValidationException)'),
      InvalidNextToken: invalid('SSM refused its own page token (InvalidNextToken)'),
    },
  };
}

/** Every page of GetParametersByPath (a page may be empty and still carry a NextToken). */
async function readAll(
  connection: Connection<SsmApi>,
  path: string,
  budget: Budget,
): Promise<SsmParameter[]> {
  const all: SsmParameter[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const base = { Path: path, Recursive: true, WithDecryption: true, MaxResults: 10 };
    const input = NextToken === undefined ? base : { ...base, NextToken };
    const out = await connection.call(budget, (ssm, signal) => ssm.getParametersByPath(input, signal));
    if (Array.isArray(out.Parameters)) all.push(...out.Parameters);
    NextToken = typeof out.NextToken === 'string' && out.NextToken !== '' ? out.NextToken : undefined;
    if (NextToken === undefined) return all;
  }
  throw new RemoteFailure(`SSM answered more than ${MAX_PAGES} pages under ${path}`, { kind: 'invalid' });
}

/** What fromSsm checked and decided, for the engine. */
export interface SsmPlan extends RemoteFront {
  /** The path as requested: no trailing slash, except the root. */
  requestPath: string;
  timeoutMs: number;
  region: string | undefined;
  client: SsmClientLike | undefined;
}

/** The remote source that reads the path (the lifecycle, retries and failure table included). */
export function ssmSource(plan: SsmPlan): Source {
  const { name, requestPath, region, client } = plan;
  const prefix = requestPath === '/' ? '/' : `${requestPath}/`;
  return remoteSource<Connection<SsmApi>, Read>({
    name,
    optional: plan.optional,
    descriptor: plan.descriptor,
    timeoutMs: plan.timeoutMs,
    errors: ssmErrors(requestPath),
    connect: () =>
      connectAws({
        ...(client === undefined ? {} : { client }),
        light: () => lightSsm(region),
        sdk: (c) => sdkSsm(c, region),
        attempts: ATTEMPTS,
      }),
    async fetch(connection, { budget, last }) {
      const params = keepParameters(await readAll(connection, requestPath, budget), prefix);
      if (params.length === 0) throw new RemoteFailure(`no parameter under ${prefix}`, { kind: 'not-found' });
      if (last !== undefined && sameParameters(last.params, params)) return last;
      return { params, layer: ssmLayer(params), version: `${params.length} parameters` };
    },
  });
}
