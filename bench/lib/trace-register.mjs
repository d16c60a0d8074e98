// `node --import ./lib/trace-register.mjs ...`: records every module URL the program resolves into
// the file named by TRACE_FILE, to prove what a load does not import (the AWS SDK, zod).
import { register } from 'node:module';

register('./trace-hooks.mjs', import.meta.url, { data: { file: process.env.TRACE_FILE } });
