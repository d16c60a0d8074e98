import * as z from 'zod';

/**
 * What the function needs from its config. Loading fails at init, not mid-request, when the layers
 * do not add up to this.
 */
export const schema = z.object({
  service: z.object({
    name: z.string(),
    stage: z.enum(['dev', 'staging', 'production']),
  }),
  db: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535),
    password: z.string().min(1).meta({ secret: true }),
  }),
  features: z.object({
    greeting: z.string(),
    newCheckout: z.boolean(),
  }),
  limits: z.object({
    maxItems: z.number().int().positive(),
  }),
});

export type AppConfig = z.output<typeof schema>;
