#!/usr/bin/env node
import { run } from './main.js';

// Piping into `head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
}).then((code) => {
  // exitCode, not exit(): stdout may still be flushing into a pipe.
  process.exitCode = code;
});
