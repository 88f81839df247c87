import { z } from 'zod';
import { ConfigError } from '../../platform/config.js';

const DEV_SALT_SECRET = 'flowmart-kuaidi100-dev-salt-secret';
const DEV_KEY = 'flowmart-sandbox-kuaidi100-key';

const envSchema = z.object({
  KUAIDI100_POLL_URL: z.url().optional(),
  KUAIDI100_KEY: z.string().min(1).default(DEV_KEY),
  KUAIDI100_SALT_SECRET: z.string().min(16, 'must be at least 16 characters').default(DEV_SALT_SECRET),
  TRACKING_CALLBACK_BASE_URL: z.url().optional(),
  SANDBOX_CARRIER_SPAN_MS: z.coerce.number().int().min(100).max(30 * 24 * 3600_000).default(120_000),
  AUTO_CONFIRM_DAYS: z.coerce.number().min(0.001).max(60).default(10),
  AUTO_CONFIRM_UNDELIVERED_DAYS: z.coerce.number().min(0.001).max(90).default(20),
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
});

export type FulfillmentSettings = {
  /** Kuaidi100's poll endpoint; unset: the sandbox carrier of this platform (`<base>/api/v1/sandbox/kuaidi100/poll`). */
  pollUrl: string | undefined;
  key: string;
  /** Each parcel's push salt is derived from this secret. */
  saltSecret: string;
  /** The base of the push callback URL; unset: PUBLIC_URL, else the address this process listens on. */
  callbackBaseUrl: string | undefined;
  sandboxSpanMs: number;
  /** Receipt is confirmed automatically this long after delivery… */
  autoConfirmMs: number;
  /** …or this long after shipment when no delivery is ever reported. */
  autoConfirmUndeliveredMs: number;
  heartbeatMs: number;
};

const DAY_MS = 24 * 3600_000;

/** Fulfillment settings from the environment; a wrong value names its variable. */
export function loadFulfillmentSettings(env: NodeJS.ProcessEnv = process.env): FulfillmentSettings {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  return {
    pollUrl: e.KUAIDI100_POLL_URL,
    key: e.KUAIDI100_KEY,
    saltSecret: e.KUAIDI100_SALT_SECRET,
    callbackBaseUrl: e.TRACKING_CALLBACK_BASE_URL,
    sandboxSpanMs: e.SANDBOX_CARRIER_SPAN_MS,
    autoConfirmMs: Math.round(e.AUTO_CONFIRM_DAYS * DAY_MS),
    autoConfirmUndeliveredMs: Math.round(e.AUTO_CONFIRM_UNDELIVERED_DAYS * DAY_MS),
    heartbeatMs: e.SSE_HEARTBEAT_MS,
  };
}
