/**
 * The local AppConfig of the tests (startLocalAws from strataconf/testing: AppConfigData with
 * signatures checked, and the Lambda extension's localhost API on the same port) in a process of
 * its own, for the cold AppConfig figure. Prints `listening on API_PORT EXTENSION_PORT`; one
 * profile, orders/prod/settings, 20 settings.
 */
import { startLocalAws } from '../../src/testing.js';

const features = Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`flag${i}`, i % 2 === 0]));
const aws = await startLocalAws(
  {
    appconfig: {
      'orders/prod/settings': { content: { db: { host: 'from-appconfig', port: 5432 }, features } },
    },
  },
  {
    credentials: {
      accessKeyId: 'AKIDBENCH',
      secretAccessKey: 'bench-secret',
      sessionToken: 'bench-session-token',
    },
  },
);
console.log(`listening on ${new URL(aws.endpoint).port} ${aws.env.AWS_APPCONFIG_EXTENSION_HTTP_PORT}`);
