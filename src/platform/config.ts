import path from 'node:path';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  ADMIN_EMAIL: z.email().default('admin@flowmart.local'),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SEED: z.enum(['demo', 'none']).default('demo'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  PUBLIC_URL: z.url().optional(),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  WEB_DIST: z.string().default('./dist/web'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  ORDER_PAY_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SANDBOX_PAY_SECRET: z.string().min(16, 'must be at least 16 characters').default('flowmart-sandbox-dev-secret'),
  PAYMENT_NOTIFY_BASE_URL: z.url().optional(),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminEmail: string;
  adminPassword: string | undefined;
  seed: 'demo' | 'none';
  logLevel: (typeof logLevels)[number];
  /** Set when served behind TLS: session cookies get the Secure flag. */
  publicUrl: string | undefined;
  trustProxy: boolean;
  webDist: string;
  /** API requests per minute per client address; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Unpaid orders close after this long and release their stock. */
  payTimeoutMs: number;
  /** Signs the sandbox payment provider's notifications. */
  sandboxPaySecret: string;
  /** Where payment providers send notifications; else PUBLIC_URL, else the listening address. */
  paymentNotifyBaseUrl: string | undefined;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads configuration from the environment; every problem is reported at once, by variable name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    adminEmail: e.ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    seed: e.SEED,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    webDist: path.resolve(e.WEB_DIST),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    payTimeoutMs: e.ORDER_PAY_TIMEOUT_MINUTES * 60_000,
    sandboxPaySecret: e.SANDBOX_PAY_SECRET,
    paymentNotifyBaseUrl: e.PAYMENT_NOTIFY_BASE_URL,
  };
}
