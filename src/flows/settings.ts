import { z } from 'zod';
import { ConfigError } from '../platform/config.js';

const DEV_SANDBOX_SECRET = 'flowmart-sandbox-dev-secret';

const envSchema = z.object({
  ORDER_PAY_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SANDBOX_PAY_SECRET: z.string().min(16, 'must be at least 16 characters').default(DEV_SANDBOX_SECRET),
  PAYMENT_NOTIFY_BASE_URL: z.url().optional(),
});

export type CommerceSettings = {
  payTimeoutMs: number;
  sandboxSecret: string;
  /** Where providers send notifications; PUBLIC_URL, else the address this process listens on. */
  notifyBaseUrl: string | undefined;
};

/** Settings of checkout and payments, from the environment; a wrong value names its variable. */
export function loadCommerceSettings(env: NodeJS.ProcessEnv = process.env): CommerceSettings {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return {
    payTimeoutMs: parsed.data.ORDER_PAY_TIMEOUT_MINUTES * 60_000,
    sandboxSecret: parsed.data.SANDBOX_PAY_SECRET,
    notifyBaseUrl: parsed.data.PAYMENT_NOTIFY_BASE_URL,
  };
}
