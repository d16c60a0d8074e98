import { boundAnswers } from '../remote/bounded.js';
import { lazySdk, sdkSend, sharedClients } from '../remote/sdk.js';
import {
  type AppConfigDataApi,
  type AppConfigDataClientLike,
  type AppConfigLocation,
  initialToken,
  type LatestConfiguration,
  SESSION_BYTES,
  sessionInput,
} from './wire.js';

/**
 * The AppConfigData API over the AWS SDK (`@aws-sdk/client-appconfigdata`, an optional peer
 * dependency imported only when this path is taken: a caller's `client`, or credentials that are
 * not in the environment). One client per region and endpoint, shared by every AppConfig layer.
 */

type Sdk = typeof import('@aws-sdk/client-appconfigdata');

const loadSdk = lazySdk<Sdk>('@aws-sdk/client-appconfigdata');
const clients = sharedClients<AppConfigDataClientLike>('appconfigdata', async (region) => {
  const { AppConfigDataClient } = await loadSdk();
  // One attempt per call: the remote policy retries (src/sources/remote/retry.ts).
  const client = new AppConfigDataClient({ ...(region === undefined ? {} : { region }), maxAttempts: 1 });
  // Each call names its bound (a session's answer, or the layer's maxBytes).
  boundAnswers(client, SESSION_BYTES);
  return client;
});

/** The API over the SDK: the caller's `client`, else the shared client of `region`. */
export async function sdkApi(
  client: AppConfigDataClientLike | undefined,
  region: string | undefined,
  maxBytes: number,
): Promise<AppConfigDataApi> {
  const { StartConfigurationSessionCommand, GetLatestConfigurationCommand } = await loadSdk();
  const api: AppConfigDataClientLike = client ?? (await clients.get(region));
  return {
    async start(location: AppConfigLocation, signal: AbortSignal): Promise<string> {
      const command = new StartConfigurationSessionCommand(sessionInput(location));
      const out = (await sdkSend(api, command, { abortSignal: signal, maxBytes: SESSION_BYTES })) as {
        InitialConfigurationToken?: unknown;
      };
      return initialToken(out?.InitialConfigurationToken);
    },
    async latest(token: string, signal: AbortSignal): Promise<LatestConfiguration> {
      const command = new GetLatestConfigurationCommand({ ConfigurationToken: token });
      return (await sdkSend(api, command, { abortSignal: signal, maxBytes })) as LatestConfiguration;
    },
  };
}
