// A handler whose layers are all local (a bundled file, code defaults, env): bundled with plain
// `esbuild --bundle --platform=node`, no externals, it needs no AWS SDK and carries none.
import { defineConfig, fromEnv, fromFile, fromObject } from 'strataconf';
import * as z from 'zod/mini';

const config = defineConfig({
  schema: z.object({
    service: z.string(),
    db: z.object({ host: z.string(), port: z.number() }),
    features: z.array(z.string()),
    region: z.string(),
  }),
  sources: [
    fromObject({ region: { $default: 'eu-west-1' } }),
    fromFile('config.json5'),
    fromEnv({ prefix: 'APP_' }),
  ],
});

export const handler = async () => {
  const loaded = await config.load();
  return { service: loaded.service, host: loaded.db.host, port: loaded.db.port, region: loaded.region };
};
