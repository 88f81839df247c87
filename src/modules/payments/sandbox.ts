/**
 * The sandbox payment provider: a protocol-level fake of a real one. It keeps its trades in its own
 * tables, its hosted cashier page (in the web app) pays or declines, and the result reaches the
 * platform the way Alipay's or WeChat Pay's would: an asynchronous HTTP POST to the notify URL,
 * signed with HMAC-SHA256, retried with backoff until answered with a 2xx.
 *
 * Signature: header `Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * A notification is re-signed at every attempt, so its timestamp is fresh; the receiver refuses
 * timestamps more than 5 minutes away from its clock.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { type Db, queryRows } from '../../platform/db.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { postWebhook } from '../../platform/webhook.js';
import type { PaymentProvider, ProviderNotification } from './provider.js';
import { type SandboxTradeStatus, sandboxNotifications, sandboxRefunds, sandboxTrades } from './schema.js';

export const SANDBOX_SIGNATURE_HEADER = 'sandbox-signature';
export const SANDBOX_NOTIFY_PATH = '/api/v1/hooks/sandbox-pay/notify';
const TOLERANCE_SECONDS = 300;
/** Delay before attempt n+1 (the first attempt is immediate); then the sandbox gives up. */
const BACKOFF_MS = [1_000, 3_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000];
const LEASE_MS = 30_000;

export function sign(secret: string, timestamp: number, rawBody: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

const notificationBody = z.object({
  id: z.string(),
  paymentId: z.string(),
  transactionId: z.string(),
  status: z.enum(['succeeded', 'failed']),
  amount: z.number().int(),
  currency: z.string(),
  occurredAt: z.iso.datetime(),
  failureReason: z.string().optional(),
});

const invalidSignature = (message: string) => new AppError(400, 'invalid_signature', message);

export type SandboxDeps = {
  db: Db;
  clock: Clock;
  secret: string;
  /** Where notifications go: `<base>/api/v1/hooks/sandbox-pay/notify`; undefined until the server listens. */
  notifyBaseUrl: () => string | undefined;
  log?: { warn(obj: object, msg: string): void };
};

export function createSandboxProvider(deps: SandboxDeps) {
  const { db, clock, secret } = deps;

  /**
   * The cashier's button, in one statement: an open trade becomes paid or declined and its
   * notification is queued, already leased for the first attempt, which goes out at once (after
   * the answer to the cashier); retries are the scheduler's. An expired open trade closes instead.
   */
  async function settleTrade(paymentId: string, outcome: 'paid' | 'declined') {
    const now = clock.now();
    const id = newId('paymentNotification');
    const transactionId = `sbx_${randomBytes(12).toString('hex')}`;
    const details = {
      id,
      paymentId,
      transactionId,
      status: outcome === 'paid' ? 'succeeded' : 'failed',
      occurredAt: now.toISOString(),
      ...(outcome === 'declined' ? { failureReason: 'declined_by_payer' } : {}),
    };
    const [row] = await queryRows<{ status: SandboxTradeStatus; expired: boolean; body: Record<string, unknown> | null }>(
      db,
      sql`with trade as (
          select status, expires_at <= ${now} as expired from ${sandboxTrades} where payment_id = ${paymentId} for update
        ),
        closed as (
          update ${sandboxTrades} set status = 'closed' where payment_id = ${paymentId} and status = 'open' and expires_at <= ${now}
        ),
        settled as (
          update ${sandboxTrades} set status = ${outcome}, transaction_id = ${transactionId}, settled_at = ${now}
          where payment_id = ${paymentId} and status = 'open' and expires_at > ${now}
          returning amount, currency
        ),
        queued as (
          insert into ${sandboxNotifications} (id, payment_id, body, attempts, next_attempt_at, created_at)
          select ${id}::text, ${paymentId}::text, ${JSON.stringify(details)}::jsonb || jsonb_build_object('amount', amount, 'currency', currency), 1,
            ${new Date(now.getTime() + LEASE_MS)}::timestamptz, ${now}::timestamptz
          from settled
          returning body
        )
        select trade.status, trade.expired, (select body from queued) as body from trade`,
    );
    if (!row) throw notFound('Payment');
    if (!row.body) {
      if (row.status === 'open' && row.expired) throw conflict('payment_expired', 'This payment has expired');
      throw conflict('payment_not_open', `This payment is already ${row.status}`, { status: row.status });
    }
    const queued = { id, attempts: 1, body: row.body };
    setImmediate(() => void attempt(queued));
    return { status: outcome };
  }

  /** One delivery attempt of one notification, if it is due and nobody else holds it. */
  async function deliver(id: string): Promise<boolean> {
    const now = clock.now();
    const [leased] = await db
      .update(sandboxNotifications)
      .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS), attempts: sql`${sandboxNotifications.attempts} + 1` })
      .where(and(eq(sandboxNotifications.id, id), isNull(sandboxNotifications.deliveredAt), sql`${sandboxNotifications.nextAttemptAt} <= ${now}`))
      .returning();
    if (!leased) return false;
    return attempt(leased);
  }

  async function attempt(row: Pick<typeof sandboxNotifications.$inferSelect, 'id' | 'attempts' | 'body'>): Promise<boolean> {
    const base = deps.notifyBaseUrl();
    let error: string | undefined;
    if (!base) error = 'no notify URL yet (server not listening)';
    else {
      const raw = JSON.stringify(row.body);
      try {
        const res = await postWebhook(`${base.replace(/\/$/, '')}${SANDBOX_NOTIFY_PATH}`, {
          headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: sign(secret, Math.floor(clock.now().getTime() / 1000), raw) },
          body: raw,
          timeoutMs: 10_000,
        });
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (err) {
        error = (err as Error).message;
      }
    }
    const now = clock.now();
    if (!error) {
      await db.update(sandboxNotifications).set({ deliveredAt: now, nextAttemptAt: null, lastError: null }).where(eq(sandboxNotifications.id, row.id));
      return true;
    }
    const delay = BACKOFF_MS[row.attempts - 1];
    deps.log?.warn({ notification: row.id, attempts: row.attempts, error }, 'sandbox payment notification not accepted');
    await db
      .update(sandboxNotifications)
      .set({ lastError: error, nextAttemptAt: delay === undefined ? null : new Date(now.getTime() + delay) })
      .where(eq(sandboxNotifications.id, row.id));
    return false;
  }

  const provider: PaymentProvider = {
    name: 'sandbox',

    async create(input) {
      await db
        .insert(sandboxTrades)
        .values({ paymentId: input.paymentId, amount: input.amount, currency: input.currency, subject: input.subject, status: 'open', expiresAt: input.expiresAt, createdAt: clock.now() })
        .onConflictDoNothing();
      // The hosted cashier is a page of the web app.
      return { payUrl: `/pay/sandbox/${input.paymentId}` };
    },

    verifyNotification(headers, rawBody): ProviderNotification {
      const header = headers[SANDBOX_SIGNATURE_HEADER];
      const value = Array.isArray(header) ? header[0] : header;
      const parts = Object.fromEntries((value ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
      const t = Number(parts.t);
      if (!value || !Number.isInteger(t) || !parts.v1) throw invalidSignature('Missing or malformed Sandbox-Signature');
      const expected = Buffer.from(sign(secret, t, rawBody).split('v1=')[1]!, 'hex');
      const given = Buffer.from(parts.v1, 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidSignature('The signature does not match');
      if (Math.abs(clock.now().getTime() / 1000 - t) > TOLERANCE_SECONDS) throw invalidSignature('The signature is too old or from the future');
      let parsed: z.infer<typeof notificationBody>;
      try {
        parsed = notificationBody.parse(JSON.parse(rawBody));
      } catch {
        throw new AppError(400, 'malformed_notification', 'The notification body is not a sandbox notification');
      }
      return { ...parsed, occurredAt: new Date(parsed.occurredAt) };
    },

    async query(paymentId) {
      const [trade] = await db.select().from(sandboxTrades).where(eq(sandboxTrades.paymentId, paymentId));
      if (!trade) return { status: 'unknown' };
      return { status: trade.status, transactionId: trade.transactionId ?? undefined, amount: trade.amount, currency: trade.currency };
    },

    async close(paymentId) {
      const [row] = await db
        .update(sandboxTrades)
        .set({ status: 'closed' })
        .where(and(eq(sandboxTrades.paymentId, paymentId), sql`${sandboxTrades.status} in ('open', 'closed')`))
        .returning({ status: sandboxTrades.status });
      if (row) return { closed: true };
      const [trade] = await db.select({ status: sandboxTrades.status }).from(sandboxTrades).where(eq(sandboxTrades.paymentId, paymentId));
      return { closed: trade?.status !== 'paid' };
    },

    async refund(input) {
      return db.transaction(async (tx) => {
        const [done] = await tx.select().from(sandboxRefunds).where(eq(sandboxRefunds.refundId, input.refundId));
        if (done) return { status: 'succeeded' as const, providerRefundId: done.providerRefundId };
        const [trade] = await tx.select().from(sandboxTrades).where(eq(sandboxTrades.paymentId, input.paymentId)).for('update');
        if (!trade || trade.status !== 'paid' || trade.transactionId !== input.transactionId) {
          return { status: 'failed' as const, message: 'no such paid trade', retryable: false };
        }
        if (trade.refunded + input.amount > trade.amount || trade.currency !== input.currency) {
          return { status: 'failed' as const, message: 'refund exceeds what was paid', retryable: false };
        }
        const providerRefundId = `sbr_${randomBytes(12).toString('hex')}`;
        await tx.update(sandboxTrades).set({ refunded: trade.refunded + input.amount }).where(eq(sandboxTrades.paymentId, input.paymentId));
        await tx.insert(sandboxRefunds).values({ refundId: input.refundId, paymentId: input.paymentId, amount: input.amount, providerRefundId, createdAt: clock.now() });
        return { status: 'succeeded' as const, providerRefundId };
      });
    },
  };

  return {
    provider,
    /** The cashier page's buttons. */
    pay: (paymentId: string) => settleTrade(paymentId, 'paid'),
    decline: (paymentId: string) => settleTrade(paymentId, 'declined'),
    async trade(paymentId: string) {
      const [trade] = await db.select().from(sandboxTrades).where(eq(sandboxTrades.paymentId, paymentId));
      return trade;
    },
    /** Scheduler: retries notifications that are due. */
    async deliverDue(now: Date): Promise<number> {
      const due = await db
        .select({ id: sandboxNotifications.id })
        .from(sandboxNotifications)
        .where(and(isNull(sandboxNotifications.deliveredAt), sql`${sandboxNotifications.nextAttemptAt} <= ${now}`))
        .limit(20);
      let delivered = 0;
      for (const { id } of due) if (await deliver(id)) delivered += 1;
      return delivered;
    },
  };
}

export type SandboxProvider = ReturnType<typeof createSandboxProvider>;
