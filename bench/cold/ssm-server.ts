/**
 * The local SSM of the tests (startLocalAws from strataconf/testing, signatures checked) in a
 * process of its own, for the cold SSM figure: its children run with spawnSync, which blocks the
 * parent. Prints `listening on PORT`; five parameters under /orders/prod/, one a SecureString.
 */
import { startLocalAws } from '../../src/testing.js';

const aws = await startLocalAws(
  {
    ssm: {
      '/orders/prod/db/host': 'from-ssm',
      '/orders/prod/db/port': '5432',
      '/orders/prod/db/password': { value: 'bench-password', type: 'SecureString' },
      '/orders/prod/features/beta': 'true',
      '/orders/prod/limits/maxItems': '100',
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
console.log(`listening on ${new URL(aws.endpoint).port}`);
