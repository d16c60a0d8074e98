/**
 * The local SSM endpoint of the tests (test/setup/ssm-server.ts, signatures checked) in a process of
 * its own, for the cold SSM figure: its children run with spawnSync, which blocks the parent. Prints
 * `listening on PORT`; five parameters under /orders/prod/, one a SecureString.
 */
import { sigV4 } from '../../test/setup/aws-json-server.js';
import { startSsmServer } from '../../test/setup/ssm-server.js';

const server = await startSsmServer(
  {
    '/orders/prod/db/host': 'from-ssm',
    '/orders/prod/db/port': '5432',
    '/orders/prod/db/password': { value: 'bench-password', type: 'SecureString' },
    '/orders/prod/features/beta': 'true',
    '/orders/prod/limits/maxItems': '100',
  },
  {
    verify: sigV4([
      { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret', sessionToken: 'bench-session-token' },
    ]),
  },
);
console.log(`listening on ${new URL(server.endpoint).port}`);
