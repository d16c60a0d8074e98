import type { DeepReadonly } from 'strataconf';
import type { AppConfig } from './schema.js';

/** What the function is invoked with. */
export interface OrderEvent {
  customer: string;
  items: number;
}

/** What it answers: the decision, and the config values it was taken with (never the password). */
export interface OrderResult {
  accepted: boolean;
  message: string;
  stage: AppConfig['service']['stage'];
  checkout: 'new' | 'classic';
  database: string;
  maxItems: number;
}

/** The business logic: a pure function of the event and the config, so tests need no Lambda. */
export function takeOrder(event: OrderEvent, config: DeepReadonly<AppConfig>): OrderResult {
  const { features, limits, db, service } = config;
  const accepted = Number.isInteger(event.items) && event.items > 0 && event.items <= limits.maxItems;
  const message = accepted
    ? `${features.greeting}, ${event.customer}: ${event.items} item(s) ordered`
    : `${event.customer}: an order holds 1 to ${limits.maxItems} items`;
  return {
    accepted,
    message,
    stage: service.stage,
    checkout: features.newCheckout ? 'new' : 'classic',
    database: `${db.host}:${db.port}`,
    maxItems: limits.maxItems,
  };
}
