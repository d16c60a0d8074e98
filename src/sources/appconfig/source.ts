import type { AppConfigDescriptor } from '../../descriptor.js';
import { ConfigError } from '../../errors.js';
import { decodeText, mediaType, parseLayerText } from '../../formats/index.js';
import type { Source } from '../../types.js';
import { connectAws } from '../remote/connect.js';
import { RemoteFailure } from '../remote/failure.js';
import { validateAwsOptions } from '../remote/options.js';
import { type Fetched, NOT_MODIFIED, remoteSource } from '../remote/source.js';
import { agentPort, extensionKnown, learnExtension, probeMs, readFromAgent } from './agent.js';
import { apiReader, type Reader } from './api.js';
import { lightApi } from './light.js';
import { sdkApi } from './sdk.js';
import { APPCONFIG_ERRORS, contentFormat, parseAppConfigTarget } from './target.js';
import type { Answer, AppConfigDataClientLike, AppConfigLocation } from './wire.js';

export type { AppConfigDataClientLike, AppConfigLocation } from './wire.js';

/** Attempts per API request strataconf sends itself (the light path and its own SDK client). */
const ATTEMPTS = 3;

/** The default bound of a configuration read: twice AppConfig's 2 MB quota of a hosted configuration. */
const MAX_BYTES = 4 * 1024 * 1024;

/** How one layer reads its configuration. */
interface ReadPlan {
  location: AppConfigLocation;
  region: string | undefined;
  maxBytes: number;
  timeoutMs: number;
}

/** Options of {@link fromAppConfig}. */
export interface FromAppConfigOptions {
  /** When true, a configuration that cannot be read (missing, denied, unreachable, too slow) is dropped with a warning. @default true */
  optional?: boolean;
  /** Shown in warnings, errors and `explainConfig`. @default 'appconfig:application/environment/profile' */
  name?: string;
  /** Region of the AppConfigData API. @default `AWS_REGION`, else `AWS_DEFAULT_REGION` (Lambda sets both) */
  region?: string;
  /**
   * Your own `AppConfigDataClient` (also a mocked one): the API is then read through it, and the
   * Lambda extension is not tried. @default the extension when it answers, else the API (signed
   * requests without the AWS SDK when credentials are in the environment, as on Lambda)
   */
  client?: AppConfigDataClientLike;
  /** Longest wait for one read (the extension, or the API's calls and retries). @default 3000 */
  timeoutMs?: number;
  /**
   * The largest configuration read into memory; a larger (or endless) answer makes the layer
   * unavailable (stale on a reload). AppConfig's hosted configurations are at most 2 MB unless the
   * quota was raised: raise this with it. @default 4194304 (4 MiB)
   */
  maxBytes?: number;
  /** When false, the layer is skipped without a word. @default true */
  enabled?: boolean;
}

interface Loaded extends Fetched {
  content: Uint8Array;
}

/** The API through `client` when given, else through the light transport or strataconf's SDK client. */
async function api(plan: ReadPlan, client: AppConfigDataClientLike | undefined): Promise<Reader> {
  const { region, maxBytes } = plan;
  const connection = await connectAws({
    ...(client === undefined ? {} : { client }),
    light: () => lightApi(region, maxBytes),
    sdk: (c) => sdkApi(c, region, maxBytes),
    attempts: ATTEMPTS,
  });
  return apiReader(plan.location, connection);
}

/**
 * The extension when it answers, else the API. Whether it answers is learnt once per execution
 * environment (agent.ts): until then a read is a short probe, and anything but a configuration
 * (refused, no first byte within the probe, a 404, an HTML page) sends this read and every later one
 * to the API. Once the extension has answered, a failure is its failure, not a reason to switch.
 */
function agentThenApi(plan: ReadPlan): Reader {
  let fallback: Reader | undefined;
  return async (budget, have) => {
    const port = agentPort();
    const known = extensionKnown(port);
    if (known !== false) {
      const probe = known === undefined ? { probeMs: probeMs(plan.timeoutMs) } : {};
      try {
        const answer: Answer = await readFromAgent(plan.location, port, budget.signal, {
          maxBytes: plan.maxBytes,
          ...probe,
        });
        learnExtension(port, true);
        return answer;
      } catch (err) {
        if (known === true || budget.signal.aborted) throw err;
        learnExtension(port, false);
      }
    }
    fallback ??= await api(plan, undefined);
    return fallback(budget, have);
  };
}

/**
 * An HTML page where a configuration was expected: a proxy's page, not AppConfig's answer (no
 * configuration is HTML). Transient, as a network failure: a reload keeps the last good layer.
 */
function proxyPage(): RemoteFailure {
  return new RemoteFailure(
    'the answer from AppConfig could not be understood (an HTML page, not a configuration: a proxy in the way?)',
    { kind: 'server', transient: true },
  );
}

function checkMaxBytes(value: unknown): number {
  if (value === undefined) return MAX_BYTES;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new ConfigError('USAGE', 'fromAppConfig: maxBytes must be a positive integer');
}

/**
 * A layer read from an AWS AppConfig configuration profile (hosted configuration, feature flags, or
 * any JSON or JSON5 content), optional by default. On Lambda with the AppConfig extension it reads
 * the extension on localhost, which polls AppConfig in the background; elsewhere it reads the
 * AppConfigData API, one session per execution environment. A reload after `maxAge` that finds the
 * same configuration keeps the same config object; one that fails for a moment keeps the last good
 * layer (`SOURCE_STALE`).
 *
 * Needs `appconfig:StartConfigurationSession` and `appconfig:GetLatestConfiguration` (the
 * extension needs them too).
 *
 * @example
 * ```ts
 * const config = defineConfig({
 *   schema,
 *   sources: [fromFile('config.json5'), fromAppConfig('orders/prod/settings'), fromEnv({ prefix: 'APP_' })],
 *   maxAge: 60_000, // pick up a rollout within a minute
 * });
 * export const handler = async (event, context) => {
 *   const { features } = await config.load({ context });
 * };
 * ```
 */
export function fromAppConfig(target: string | AppConfigLocation, opts: FromAppConfigOptions = {}): Source {
  const location = parseAppConfigTarget(target);
  validateAwsOptions('fromAppConfig', opts);
  const { client, region } = opts;
  const timeoutMs = opts.timeoutMs ?? 3000;
  const plan: ReadPlan = { location, region, maxBytes: checkMaxBytes(opts.maxBytes), timeoutMs };
  const path = `${location.application}/${location.environment}/${location.profile}`;
  const name = opts.name ?? `appconfig:${path}`;
  let reader: Reader | undefined;

  async function toLayer(answer: Exclude<Answer, 'unchanged'>, last: Loaded | undefined): Promise<Loaded> {
    // The extension answers every read with the whole configuration: the same bytes, the same layer.
    if (last && Buffer.compare(answer.content, last.content) === 0) return last;
    if (mediaType(answer.contentType) === 'text/html') throw proxyPage();
    const format = contentFormat(answer.contentType, name);
    const layer = await parseLayerText(decodeText(answer.content, name, 'configuration'), format, name);
    const version = answer.version === undefined ? undefined : `version ${answer.version}`;
    return { content: answer.content, layer, ...(version === undefined ? {} : { version }) };
  }

  const descriptor: AppConfigDescriptor = {
    store: 'appconfig',
    ...location,
    ...(region === undefined ? {} : { region }),
    ...(client === undefined ? {} : { client }),
  };
  return remoteSource<Reader, Loaded>({
    name,
    optional: opts.optional ?? true,
    ...(opts.enabled === undefined ? {} : { enabled: opts.enabled }),
    descriptor,
    timeoutMs,
    errors: APPCONFIG_ERRORS,
    async connect() {
      // A caller's client reads the API through it; the extension is not tried.
      reader ??= client ? await api(plan, client) : agentThenApi(plan);
      return reader;
    },
    async fetch(read, { budget, last }) {
      const answer = await read(budget, last !== undefined);
      if (answer === 'unchanged') return NOT_MODIFIED;
      return toLayer(answer, last);
    },
  });
}
