import { parseJsonBody, restJson } from '../../aws/index.js';
import {
  type AppConfigDataApi,
  type AppConfigLocation,
  initialToken,
  type LatestConfiguration,
  SESSION_BYTES,
  sessionInput,
} from './wire.js';

/**
 * The AppConfigData API over the light transport (REST-JSON, signed with the credentials in the
 * environment, no AWS SDK): `POST /configurationsessions`, then `GET /configuration` whose answer
 * carries the configuration as its body and the next token and poll interval in headers. The
 * configuration is read up to the layer's `maxBytes`, a session's answer up to 64 KiB.
 */
export function lightApi(region: string | undefined, maxBytes: number): AppConfigDataApi {
  return {
    async start(location: AppConfigLocation, signal: AbortSignal): Promise<string> {
      const body = sessionInput(location);
      const request = { method: 'POST', path: '/configurationsessions', body } as const;
      const answer = await restJson('appconfigdata', request, { region, signal, maxBytes: SESSION_BYTES });
      return initialToken(parseJsonBody(answer, 'StartConfigurationSession').InitialConfigurationToken);
    },
    async latest(token: string, signal: AbortSignal): Promise<LatestConfiguration> {
      const answer = await restJson(
        'appconfigdata',
        { method: 'GET', path: '/configuration', query: { configuration_token: token } },
        { region, signal, maxBytes },
      );
      const header = (name: string): string | undefined => {
        const value = answer.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const interval = Number(header('next-poll-interval-in-seconds'));
      const out: LatestConfiguration = { Configuration: answer.body };
      const next = header('next-poll-configuration-token');
      if (next !== undefined) out.NextPollConfigurationToken = next;
      if (Number.isFinite(interval)) out.NextPollIntervalInSeconds = interval;
      const contentType = header('content-type');
      if (contentType !== undefined) out.ContentType = contentType;
      const version = header('version-label');
      if (version !== undefined) out.VersionLabel = version;
      return out;
    },
  };
}
