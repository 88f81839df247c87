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
  CHECKOUT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  CHECKOUT_MAX_WAIT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  SANDBOX_PAY_SECRET: z.string().min(16, 'must be at least 16 characters').default('flowmart-sandbox-dev-secret'),
  PAYMENT_NOTIFY_BASE_URL: z.url().optional(),
  KUAIDI100_POLL_URL: z.url().optional(),
  KUAIDI100_KEY: z.string().min(1).default('flowmart-sandbox-kuaidi100-key'),
  KUAIDI100_SALT_SECRET: z.string().min(16, 'must be at least 16 characters').default('flowmart-kuaidi100-dev-salt-secret'),
  KUAIDI100_SALT_SECRET_PREVIOUS: z.string().min(16, 'must be at least 16 characters').optional(),
  TRACKING_CALLBACK_BASE_URL: z.url().optional(),
  SANDBOX_CARRIER_SPAN_MS: z.coerce.number().int().min(100).max(30 * 24 * 3600_000).default(120_000),
  AUTO_CONFIRM_DAYS: z.coerce.number().min(0.001).max(60).default(10),
  AUTO_CONFIRM_UNDELIVERED_DAYS: z.coerce.number().min(0.001).max(90).default(20),
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

/** S3-compatible image storage (see docs/decisions/012-s3-storage.md). */
export type S3Config = { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string; publicUrl: string | undefined };

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
  /** Checkouts placed at once per process; more wait their turn (see platform/admission.ts). */
  checkoutConcurrency: number;
  /** How long a checkout may wait for its turn before the answer is 503 busy. */
  checkoutMaxWaitMs: number;
  /** Signs the sandbox payment provider's notifications. */
  sandboxPaySecret: string;
  /** Where payment providers send notifications; else PUBLIC_URL, else the listening address. */
  paymentNotifyBaseUrl: string | undefined;
  fulfillment: FulfillmentSettings;
  /** Where uploaded images go when S3_ENDPOINT is set; else local disk under DATA_DIR/uploads. */
  s3: S3Config | undefined;
};

const DAY_MS = 24 * 3600_000;

/** Shipping and tracking (fulfillment module). */
export type FulfillmentSettings = {
  /** Kuaidi100's poll endpoint; unset: the sandbox carrier of this platform (`<base>/api/v1/sandbox/kuaidi100/poll`). */
  pollUrl: string | undefined;
  key: string;
  /** Each parcel's push salt is derived from this secret. */
  saltSecret: string;
  /**
   * The secret before the last rotation: parcels subscribed before it still push with salts derived
   * from it, so their pushes are accepted too until it is unset.
   */
  previousSaltSecret: string | undefined;
  /** The base of the push callback URL; unset: PUBLIC_URL, else the address this process listens on. */
  callbackBaseUrl: string | undefined;
  sandboxSpanMs: number;
  /** Receipt is confirmed automatically this long after delivery… */
  autoConfirmMs: number;
  /** …or this long after shipment when no delivery is ever reported. */
  autoConfirmUndeliveredMs: number;
  heartbeatMs: number;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads configuration from the environment; every problem is reported at once, by variable name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(blankless);
  const s3Problems = s3Issues(blankless);
  if (!parsed.success || s3Problems.length > 0) {
    const lines = [...(parsed.error?.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`) ?? []), ...s3Problems];
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
    checkoutConcurrency: e.CHECKOUT_CONCURRENCY,
    checkoutMaxWaitMs: e.CHECKOUT_MAX_WAIT_SECONDS * 1000,
    sandboxPaySecret: e.SANDBOX_PAY_SECRET,
    paymentNotifyBaseUrl: e.PAYMENT_NOTIFY_BASE_URL,
    fulfillment: {
      pollUrl: e.KUAIDI100_POLL_URL,
      key: e.KUAIDI100_KEY,
      saltSecret: e.KUAIDI100_SALT_SECRET,
      previousSaltSecret: e.KUAIDI100_SALT_SECRET_PREVIOUS,
      callbackBaseUrl: e.TRACKING_CALLBACK_BASE_URL,
      sandboxSpanMs: e.SANDBOX_CARRIER_SPAN_MS,
      autoConfirmMs: Math.round(e.AUTO_CONFIRM_DAYS * DAY_MS),
      autoConfirmUndeliveredMs: Math.round(e.AUTO_CONFIRM_UNDELIVERED_DAYS * DAY_MS),
      heartbeatMs: e.SSE_HEARTBEAT_MS,
    },
    s3: e.S3_ENDPOINT
      ? { endpoint: e.S3_ENDPOINT, bucket: e.S3_BUCKET!, region: e.S3_REGION, accessKeyId: e.S3_ACCESS_KEY_ID!, secretAccessKey: e.S3_SECRET_ACCESS_KEY!, publicUrl: e.S3_PUBLIC_URL }
      : undefined,
  };
}

const S3_REQUIRED = ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'];

/** All or nothing: a half-configured bucket must not quietly fall back to local disk, nor the reverse. */
function s3Issues(env: Record<string, string | undefined>): string[] {
  const missing = S3_REQUIRED.filter((name) => env[name] === undefined);
  if (env.S3_ENDPOINT !== undefined) return missing.map((name) => `  ${name}: required when S3_ENDPOINT is set`);
  const stray = [...S3_REQUIRED, 'S3_REGION', 'S3_PUBLIC_URL'].filter((name) => env[name] !== undefined);
  return stray.length > 0 ? [`  S3_ENDPOINT: required when ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set`] : [];
}
