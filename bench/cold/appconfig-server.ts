/**
 * The AppConfig test endpoint (test/setup/appconfig-server.ts: AppConfigData with signatures checked,
 * and the Lambda extension's localhost API) in a process of its own, for the cold AppConfig figure.
 * Prints `listening on API_PORT AGENT_PORT`; one profile, orders/prod/settings, 20 settings.
 */
import { startAppConfigServer } from '../../test/setup/appconfig-server.js';

const server = await startAppConfigServer({
  credentials: [
    { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret', sessionToken: 'bench-session-token' },
  ],
});
const features = Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`flag${i}`, i % 2 === 0]));
server.deploy('orders/prod/settings', {
  content: JSON.stringify({ db: { host: 'from-appconfig', port: 5432 }, features }),
  contentType: 'application/json',
  version: '1',
});
console.log(`listening on ${new URL(server.endpoint).port} ${server.agentPort}`);
