import type { Logger } from './types.js';

/**
 * The default logger: one line per warning on stderr through `console.warn`. Under Lambda's JSON log
 * format (`AWS_LAMBDA_LOG_FORMAT=JSON`) the line is a JSON object, so it can be filtered by `code`.
 */
export const defaultLogger: Logger = {
  warn(message, details) {
    if (process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON') {
      console.warn(JSON.stringify({ level: 'WARN', logger: 'strataconf', message, ...details }));
    } else {
      const code = (details as { code?: unknown } | undefined)?.code;
      console.warn(`[strataconf] ${typeof code === 'string' ? `${code}: ` : ''}${message}`);
    }
  },
};
