import { decodeText, mediaType, parseLayerText } from '../../formats/index.js';
import type { Source } from '../../types.js';
import { connectAws } from '../remote/connect.js';
import { RemoteFailure } from '../remote/failure.js';
import type { RemoteFront } from '../remote/lazy.js';
import { type Fetched, NOT_MODIFIED, remoteSource } from '../remote/source.js';
import { agentPort, extensionKnown, learnExtension, probeMs, readFromAgent } from './agent.js';
import { apiReader, type Reader } from './api.js';
import { APPCONFIG_ERRORS, contentFormat } from './content.js';
import { lightApi } from './light.js';
import { sdkApi } from './sdk.js';
import type { Answer, AppConfigDataClientLike, AppConfigLocation } from './wire.js';

/**
 * How an AppConfig layer reads its configuration: imported at the layer's first load (source.ts
 * checks the options and says what the layer reads), so a function without remote layers never
 * loads it.
 */

/** Attempts per API request strataconf sends itself (the light path and its own SDK client). */
const ATTEMPTS = 3;

/** How one layer reads its configuration. */
interface ReadPlan {
  location: AppConfigLocation;
  region: string | undefined;
  maxBytes: number;
  timeoutMs: number;
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

/** What fromAppConfig checked and decided, for the engine. */
export interface AppConfigPlan extends RemoteFront, ReadPlan {
  client: AppConfigDataClientLike | undefined;
}

/** The remote source that reads the configuration (the lifecycle, retries and failure table included). */
export function appConfigSource(plan: AppConfigPlan): Source {
  const { name, client, timeoutMs } = plan;
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

  return remoteSource<Reader, Loaded>({
    name,
    optional: plan.optional,
    descriptor: plan.descriptor,
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
