import { envCredentials } from '../../aws/index.js';
import { ConfigError } from '../../errors.js';
import { parseLayerText } from '../../formats/json.js';
import type { Source } from '../../types.js';
import { validateAwsOptions } from '../remote/options.js';
import { type Fetched, NOT_MODIFIED, remoteSource } from '../remote/source.js';
import { agentPort, isAgentAbsent, readFromAgent } from './agent.js';
import { type Answer, type AppConfigLocation, apiReader } from './api.js';
import { lightApi } from './light.js';
import { type AppConfigDataClientLike, sdkApi } from './sdk.js';
import { classifyAppConfigError, contentFormat, parseAppConfigTarget } from './target.js';

export type { AppConfigLocation } from './api.js';
export type { AppConfigDataClientLike } from './sdk.js';

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
  /** When false, the layer is skipped without a word. @default true */
  enabled?: boolean;
}

type Reader = (signal: AbortSignal, have: boolean) => Promise<Answer>;

interface Loaded extends Fetched {
  content: Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The extension when it answers, else the API; decided on the first read and kept. */
function agentThenApi(location: AppConfigLocation, region: string | undefined): Reader {
  let agent: boolean | undefined;
  let api: Reader | undefined;
  return async (signal, have) => {
    if (agent !== false) {
      try {
        const answer = await readFromAgent(location, agentPort(), signal);
        agent = true;
        return answer;
      } catch (err) {
        // Once the agent has answered, a failure is its failure, not a reason to switch paths.
        if (agent === true || !isAgentAbsent(err)) throw err;
        agent = false;
      }
    }
    // Credentials in the environment (always so on Lambda): signed requests without the AWS SDK.
    api ??= apiReader(location, envCredentials() ? lightApi(region) : await sdkApi(undefined, region));
    return api(signal, have);
  };
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
  const path = `${location.application}/${location.environment}/${location.profile}`;
  const name = opts.name ?? `appconfig:${path}`;
  let reader: Reader | undefined;

  async function toLayer(answer: Exclude<Answer, 'unchanged'>, last: Loaded | undefined): Promise<Loaded> {
    // The extension answers every read with the whole configuration: the same bytes, the same layer.
    if (last && Buffer.compare(answer.content, last.content) === 0) return last;
    const format = contentFormat(answer.contentType, name);
    let text: string;
    try {
      text = utf8.decode(answer.content);
    } catch {
      throw new ConfigError('PARSE_ERROR', `${name}: the configuration is not valid UTF-8`, { source: name });
    }
    const layer = await parseLayerText(text, format, name);
    const version = answer.version === undefined ? undefined : `version ${answer.version}`;
    return { content: answer.content, layer, ...(version === undefined ? {} : { version }) };
  }

  return remoteSource<Reader, Loaded>({
    name,
    optional: opts.optional ?? true,
    ...(opts.enabled === undefined ? {} : { enabled: opts.enabled }),
    key: `appconfig:${JSON.stringify([location.application, location.environment, location.profile])}`,
    timeoutMs: opts.timeoutMs ?? 3000,
    async connect() {
      reader ??= client ? apiReader(location, await sdkApi(client, region)) : agentThenApi(location, region);
      return reader;
    },
    async fetch(read, { signal, last }) {
      const answer = await read(signal, last !== undefined);
      if (answer === 'unchanged') return NOT_MODIFIED;
      return toLayer(answer, last);
    },
    classify: classifyAppConfigError,
  });
}
