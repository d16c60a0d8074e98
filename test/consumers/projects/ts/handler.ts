// A TypeScript consumer: compiled with `tsc --strict` under moduleResolution node16 and bundler
// against the installed tarball's declarations. The type assertions below fail the compile if the
// config type strataconf infers from the schema drifts.
import {
  type ConfigOf,
  defineConfig,
  fromEnv,
  fromFile,
  type LambdaContextLike,
  type Logger,
} from 'strataconf';
import { captureWarnings, type WarningCapture } from 'strataconf/testing';
import { z } from 'zod';

export const schema = z.object({
  service: z.string(),
  db: z.object({
    host: z.string(),
    port: z.number().int(),
    password: z.string().meta({ secret: true }).optional(),
  }),
  features: z.array(z.string()),
  timeoutMs: z.number().default(1000),
});

export const config = defineConfig({
  schema,
  sources: [fromFile('config.json5'), fromEnv({ prefix: 'APP_' })],
});

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** What the schema's output must become: deeply readonly, zod defaults applied (timeoutMs is required). */
interface Expected {
  readonly service: string;
  readonly db: { readonly host: string; readonly port: number; readonly password?: string | undefined };
  readonly features: readonly string[];
  readonly timeoutMs: number;
}

export const inferredByLoad: Equals<Awaited<ReturnType<typeof config.load>>, Expected> = true;
export const inferredByConfigOf: Equals<ConfigOf<typeof schema>, Expected> = true;

// A logger declared the way most code declares one fits, and so does the testing capture.
export const plainLogger: Logger = {
  warn: (message: string, details?: object) => console.warn(message, details),
};
export const capture: WarningCapture = captureWarnings();

export const handler = async (_event: unknown, context: LambdaContextLike) => {
  const { db, features, timeoutMs } = await config.load({ context });
  return { host: db.host, nextPort: db.port + 1, first: features[0] ?? 'none', timeoutMs };
};
