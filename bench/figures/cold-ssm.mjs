/**
 * "Cold process with an SSM layer": whole processes (spawn to exit) that read five parameters under
 * /orders/prod/ from the local SSM (startLocalAws, in a process of its own,
 * signatures checked) with the credentials in the environment, as on Lambda: strataconf on its light
 * path, strataconf given an SDK client, and the SDK's GetParametersByPathCommand alone. Round-robin,
 * so the ratios of one run compare like with like. `node bench/run.mjs --only coldSsm --runs 11`
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, roundRobin, runChild, startEndpoint, summarize } from '../lib/stats.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(BENCH, '..');
const CHILD = join(BENCH, 'cold/ssm-layer-child.mjs');
const VARIANTS = ['strataconf', 'strataconf + SDK client', 'SDK GetParametersByPathCommand'];

async function startSsm() {
  const { ports, close } = await startEndpoint(join(BENCH, 'cold/ssm-server.ts'), REPO, 'SSM');
  return { endpoint: `http://127.0.0.1:${ports[0]}`, close };
}

export async function coldSsmFigure(runs) {
  const ssm = await startSsm();
  try {
    const env = childEnv({
      AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench-secret',
      AWS_SESSION_TOKEN: 'bench-session-token',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const variants = Object.fromEntries(VARIANTS.map((v) => [v, v]));
    const samples = roundRobin(variants, runs, (name) => runChild([CHILD, name], env, BENCH));
    const out = summarize(samples, ['workMs', 'wallMs', 'boot']);
    const wall = (name) => out[name].wallMs.median;
    out.ratios = {
      'strataconf / SDK GetParametersByPathCommand':
        wall('strataconf') / wall('SDK GetParametersByPathCommand'),
      'strataconf + SDK client / SDK GetParametersByPathCommand':
        wall('strataconf + SDK client') / wall('SDK GetParametersByPathCommand'),
    };
    return out;
  } finally {
    ssm.close();
  }
}
