/**
 * "Cold process with an AppConfig layer": whole processes (spawn to exit) that read one AppConfig
 * profile from the local AppConfig (startLocalAws, in a process of its own,
 * signatures checked), with the credentials in the environment as on Lambda: strataconf through the
 * Lambda extension, strataconf through the AppConfigData API on its light path, strataconf given an
 * SDK client, and the SDK alone. Also the cost of a reload that finds the configuration unchanged
 * (`reloadUs`). Round-robin, so the ratios of one run compare like with like.
 * `node bench/run.mjs --only coldAppConfig --runs 11`
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, roundRobin, runChild, startEndpoint, summarize } from '../lib/stats.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(BENCH, '..');
const CHILD = join(BENCH, 'cold/appconfig-layer-child.mjs');
const VARIANTS = ['strataconf, extension', 'strataconf, API', 'strataconf + SDK client', 'SDK alone'];

async function startAppConfig() {
  const script = join(BENCH, 'cold/appconfig-server.ts');
  const { ports, close } = await startEndpoint(script, REPO, 'AppConfig');
  return { api: ports[0], agent: ports[1], close };
}

/** A port nothing listens on: the extension is absent. */
const CLOSED_PORT = '9';

export async function coldAppConfigFigure(runs) {
  const server = await startAppConfig();
  try {
    const env = childEnv({
      AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench-secret',
      AWS_SESSION_TOKEN: 'bench-session-token',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_APPCONFIGDATA: `http://127.0.0.1:${server.api}`,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const port = (name) => (name === 'strataconf, extension' ? String(server.agent) : CLOSED_PORT);
    const variants = Object.fromEntries(VARIANTS.map((v) => [v, v]));
    const samples = roundRobin(variants, runs, (name) =>
      runChild([CHILD, name], { ...env, AWS_APPCONFIG_EXTENSION_HTTP_PORT: port(name) }, BENCH),
    );
    const out = summarize(samples, ['workMs', 'wallMs', 'reloadUs', 'boot']);
    // By the first load (import + load): the strataconf processes go on to time 20 reloads, which
    // their whole-process wall time includes and the SDK-alone process does not do.
    const work = (name) => out[name].workMs.median;
    out.ratios = Object.fromEntries(
      VARIANTS.slice(0, 3).map((name) => [`${name} / SDK alone`, work(name) / work('SDK alone')]),
    );
    return out;
  } finally {
    server.close();
  }
}
