import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { Job } from '../../platform/scheduler.js';
import type { PaymentProvider } from './provider.js';
import { paymentsRoutes } from './routes.js';
import { createSandboxProvider } from './sandbox.js';
import { createPaymentsService, type Settle } from './service.js';

export type { PaymentProvider, ProviderNotification } from './provider.js';
export type { PaymentEffects, PaymentsService, Settle, SettleOutcome } from './service.js';
export type { PaymentRow, RefundRow } from './repo.js';
export { newEffects } from './service.js';
export { paymentSchema, toPayment } from './routes.js';
export { sign as signSandboxNotification, SANDBOX_NOTIFY_PATH, SANDBOX_SIGNATURE_HEADER } from './sandbox.js';

export type PaymentSettings = {
  /** HMAC secret shared with the sandbox provider. */
  sandboxSecret: string;
  /** Base URL the sandbox posts notifications to; defaults to PUBLIC_URL, else the listening address. */
  notifyBaseUrl: () => string | undefined;
};

/**
 * Payments: one payment per order group behind a provider interface; the default provider is the
 * sandbox. `settle` (the settlement flow, which knows orders) is bound at wiring time.
 */
export function createPaymentsModule(deps: {
  db: Db;
  clock: Clock;
  settings: PaymentSettings;
  settle: () => Settle;
  provider?: PaymentProvider;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}) {
  const sandbox = deps.provider ? undefined : createSandboxProvider({ db: deps.db, clock: deps.clock, secret: deps.settings.sandboxSecret, notifyBaseUrl: deps.settings.notifyBaseUrl, log: deps.log });
  const provider = deps.provider ?? sandbox!.provider;
  const service = createPaymentsService({ db: deps.db, clock: deps.clock, provider, settle: deps.settle, log: deps.log });
  const jobs: Job[] = [{ name: 'payments.retry-refunds', everyMs: 10_000, sweep: (_db, now) => service.sweepRefunds(now) }];
  if (sandbox) jobs.push({ name: 'payments.sandbox-notify', everyMs: 1_000, sweep: (_db, now) => sandbox.deliverDue(now) });
  return { service, sandbox, routes: paymentsRoutes(service, sandbox), jobs };
}

export type PaymentsModule = ReturnType<typeof createPaymentsModule>;
