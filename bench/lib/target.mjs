/**
 * The strataconf build under test: `dist/index.js`, or the file named by STRATACONF_DIST (to compare
 * a change against a saved build: `node bench/run.mjs --dist /tmp/before/index.js`).
 */
import { pathToFileURL } from 'node:url';

export const STRATACONF_FILE =
  process.env.STRATACONF_DIST || new URL('../../dist/index.js', import.meta.url).pathname;
export const STRATACONF = pathToFileURL(STRATACONF_FILE).href;
