#!/usr/bin/env node
import { run } from './main.js';

// Piping into `head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

// This very program, for `diff --set-env` (a child per side); Node's flags (a TypeScript loader:
// --import tsx) carry over, a debugger's port would collide and does not.
const entry = process.argv[1];
const nodeFlags = process.execArgv.filter((flag) => !/^--(inspect|debug)/.test(flag));

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  ...(entry === undefined ? {} : { self: { command: process.execPath, args: [...nodeFlags, entry] } }),
}).then((code) => {
  // exitCode, not exit(): stdout may still be flushing into a pipe.
  process.exitCode = code;
});
