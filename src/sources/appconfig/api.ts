import type { Budget } from '../remote/budget.js';
import type { Connection } from '../remote/connect.js';
import type { Answer, AppConfigDataApi, AppConfigLocation, LatestConfiguration } from './wire.js';

/**
 * The AppConfigData API as a layer reads it: one session per source (`StartConfigurationSession`),
 * then `GetLatestConfiguration` with the token from the last answer. An empty configuration means
 * "the one you have is current"; a poll sooner than the interval AppConfig asked for is answered
 * from what the source has, without a request; an expired or rejected token (tokens live about
 * 24 hours) starts a new session instead of failing the layer.
 */

/** True for the answer to a token AppConfig no longer accepts (expired, corrupted, used twice). */
function isRejectedToken(err: unknown): boolean {
  return (err as { name?: unknown } | undefined)?.name === 'BadRequestException';
}

/** Reads one configuration: `have` says whether the caller holds an earlier answer's content. */
export type Reader = (budget: Budget, have: boolean) => Promise<Answer>;

/** Reads one configuration through the API, keeping the session between loads. */
export function apiReader(
  location: AppConfigLocation,
  connection: Connection<AppConfigDataApi>,
  now = Date.now,
): Reader {
  let token: string | undefined;
  let notBefore = 0;
  let hasContent = false;

  const start = (budget: Budget) => connection.call(budget, (api, signal) => api.start(location, signal));
  const latest = (budget: Budget, current: string) =>
    connection.call(budget, (api, signal) => api.latest(current, signal));

  async function poll(budget: Budget): Promise<LatestConfiguration> {
    token ??= await start(budget);
    try {
      return await latest(budget, token);
    } catch (err) {
      token = undefined;
      if (!isRejectedToken(err)) throw err;
      // A token used after its ~24 h life (or twice): a new session, once.
      token = await start(budget);
      return latest(budget, token);
    }
  }

  return async function read(budget: Budget, have: boolean): Promise<Answer> {
    if (!have && hasContent) {
      // The caller lost what this session delivered (it failed to parse): AppConfig sends content
      // once per session, so a new session sends it again.
      token = undefined;
      hasContent = false;
    }
    // AppConfig asks callers not to poll more often than NextPollIntervalInSeconds.
    if (hasContent && now() < notBefore) return 'unchanged';
    const answer = await poll(budget);
    token = answer.NextPollConfigurationToken ?? token;
    notBefore = now() + (answer.NextPollIntervalInSeconds ?? 0) * 1000;
    const content = answer.Configuration;
    if (content === undefined || content === null || content.length === 0) {
      if (hasContent) return 'unchanged';
      return { content: new Uint8Array(), ...contentFields(answer) };
    }
    hasContent = true;
    return { content, ...contentFields(answer) };
  };
}

function contentFields(answer: LatestConfiguration): { contentType?: string; version?: string } {
  return {
    ...(answer.ContentType === undefined ? {} : { contentType: answer.ContentType }),
    ...(answer.VersionLabel === undefined ? {} : { version: answer.VersionLabel }),
  };
}
