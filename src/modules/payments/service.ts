import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.js';
import { type Actor, appendFlowEvent, type PlannedWrites, writeWithEvents } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { type PlannedMoves, planMoves, transition } from '../../platform/states.js';
import type { PaymentProvider, ProviderNotification } from './provider.js';
import * as repo from './repo.js';
import { paymentMachine, refundMachine } from './states.js';

/** Provider calls wait until the transaction that decided them has committed: collect them here. */
export type PaymentEffects = { close: string[]; refunds: string[] };
export const newEffects = (): PaymentEffects => ({ close: [], refunds: [] });

/** What the platform did with a verified notification. */
export type SettleOutcome = 'paid' | 'failed' | 'duplicate' | 'refunded' | 'ignored';
export type Settle = (notification: ProviderNotification) => Promise<SettleOutcome>;

/** Delay before refund attempt n+1; then the refund is marked failed for support to handle. */
const REFUND_BACKOFF_MS = [10_000, 60_000, 300_000, 1_800_000, 3_600_000, 6 * 3_600_000];
const REFUND_LEASE_MS = 60_000;

export type PaymentsDeps = {
  db: Db;
  clock: Clock;
  provider: PaymentProvider;
  /** The settlement flow (orders side), bound at wiring time. */
  settle: () => Settle;
  log?: { error(obj: object, msg: string): void };
};

export type OpenInput = { groupId: string; buyerId: string; orders: { id: string; total: number }[]; subject: string; expiresAt: Date; actor: Actor };

export function createPaymentsService(deps: PaymentsDeps) {
  const { db, clock, provider } = deps;
  const providerActor: Actor = { kind: 'provider', id: provider.name };

  async function processRefund(refundId: string): Promise<boolean> {
    const now = clock.now();
    const refund = await repo.leaseRefund(db, refundId, now, new Date(now.getTime() + REFUND_LEASE_MS));
    if (!refund) return false;
    const payment = (await repo.findPayment(db, refund.paymentId))!;
    let result: Awaited<ReturnType<PaymentProvider['refund']>>;
    try {
      result = await provider.refund({
        refundId: refund.id,
        paymentId: payment.id,
        transactionId: payment.providerTxnId ?? '',
        amount: refund.amount,
        currency: refund.currency,
        reason: refund.reason,
      });
    } catch (err) {
      result = { status: 'failed', message: (err as Error).message, retryable: true };
    }
    const at = clock.now();
    const related = [
      { type: 'order', id: refund.orderId, qualifier: 'refunded_order' },
      { type: 'payment', id: payment.id, qualifier: 'payment' },
    ];
    if (result.status === 'succeeded') {
      const { providerRefundId } = result;
      await db.transaction((tx) =>
        transition(tx, refundMachine, {
          objectId: refund.id,
          from: 'pending' as const,
          event: 'succeed',
          actor: providerActor,
          at,
          related,
          data: { amount: refund.amount },
          apply: (to) => repo.moveRefund(tx, refund.id, 'pending', to, { providerRefundId, completedAt: at, nextAttemptAt: null, lastError: null }),
        }),
      );
      return true;
    }
    const delay = result.retryable ? REFUND_BACKOFF_MS[refund.attempts - 1] : undefined;
    if (delay !== undefined) {
      await repo.updateRefund(db, refund.id, { lastError: result.message, nextAttemptAt: new Date(at.getTime() + delay) });
      return false;
    }
    deps.log?.error({ refund: refund.id, error: result.message }, 'refund failed; support must return the money by hand');
    const message = result.message;
    await db.transaction((tx) =>
      transition(tx, refundMachine, {
        objectId: refund.id,
        from: 'pending' as const,
        event: 'fail',
        actor: providerActor,
        at,
        related,
        data: { error: message },
        apply: (to) => repo.moveRefund(tx, refund.id, 'pending', to, { lastError: message, nextAttemptAt: null, completedAt: at }),
      }),
    );
    return false;
  }

  async function createRefund(tx: Executor, input: { payment: repo.PaymentRow; orderId: string; amount: number; reason: string; actor: Actor }, effects: PaymentEffects) {
    const at = clock.now();
    const already = await repo.refundedTotal(tx, input.payment.id);
    if (already + input.amount > input.payment.amount) {
      throw new AppError(500, 'refund_exceeds_payment', `Refunds of ${input.payment.id} would exceed what was paid`);
    }
    const refund = await repo.insertRefund(tx, {
      id: newId('refund'),
      paymentId: input.payment.id,
      orderId: input.orderId,
      state: refundMachine.initial,
      amount: input.amount,
      currency: input.payment.currency,
      reason: input.reason,
      nextAttemptAt: at,
      createdAt: at,
    });
    await appendFlowEvent(tx, {
      type: 'refund.request',
      objectType: 'refund',
      objectId: refund.id,
      actor: input.actor,
      occurredAt: at,
      related: [
        { type: 'order', id: input.orderId, qualifier: 'refunded_order' },
        { type: 'payment', id: input.payment.id, qualifier: 'payment' },
      ],
      data: { amount: input.amount, reason: input.reason },
    });
    effects.refunds.push(refund.id);
    return refund;
  }

  /** A new pending payment for orders of a group, as writes for the caller's statement (checkout's). */
  function opening(input: OpenInput): PlannedWrites & { payment: repo.PaymentRow } {
    const at = clock.now();
    const amount = input.orders.reduce((sum, o) => sum + o.total, 0);
    const payment: repo.PaymentRow = {
      id: newId('payment'),
      groupId: input.groupId,
      buyerId: input.buyerId,
      provider: provider.name,
      state: paymentMachine.initial,
      amount,
      currency: 'CNY',
      orderIds: input.orders.map((o) => o.id),
      orderAmounts: input.orders.map((o) => o.total),
      subject: input.subject,
      payUrl: null,
      providerTxnId: null,
      failureReason: null,
      expiresAt: input.expiresAt,
      createdAt: at,
      updatedAt: at,
      succeededAt: null,
    };
    return {
      payment,
      writes: [repo.insertPaymentSql(payment)],
      events: [
        {
          type: 'payment.create',
          objectType: 'payment',
          objectId: payment.id,
          actor: input.actor,
          occurredAt: at,
          related: [{ type: 'order_group', id: input.groupId, qualifier: 'pays_for' }, ...input.orders.map((o) => ({ type: 'order', id: o.id, qualifier: 'pays_for' }))],
          data: { amount, provider: provider.name },
        },
      ],
    };
  }

  return {
    provider,

    opening,

    /** Opens a new pending payment in the caller's transaction. */
    async open(tx: Executor, input: OpenInput): Promise<repo.PaymentRow> {
      const { payment, writes, events } = opening(input);
      await writeWithEvents(tx, writes, events);
      return payment;
    },

    /** After the opening transaction commits: opens the trade at the provider and keeps the pay URL. */
    async start(payment: repo.PaymentRow): Promise<repo.PaymentRow> {
      if (payment.payUrl) return payment;
      const { payUrl } = await provider.create({ paymentId: payment.id, amount: payment.amount, currency: payment.currency, subject: payment.subject, expiresAt: payment.expiresAt });
      await repo.updatePayment(db, payment.id, { payUrl, updatedAt: clock.now() });
      return { ...payment, payUrl };
    },

    pendingOfGroup: (exec: Executor, groupId: string) => repo.pendingOfGroup(exec, groupId),
    /** The payment's order group id as a subquery (to lock the group first, in one round trip). */
    groupIdOf: (id: string) => repo.groupIdOfSql(id),
    find: (id: string) => repo.findPayment(db, id),
    lock: (tx: Executor, id: string) => repo.lockPayment(tx, id),
    paymentsOfGroup: (groupId: string) => repo.paymentsOfGroup(db, groupId),
    refundsOfOrders: (orderIds: readonly string[]) => repo.refundsOfOrders(db, orderIds),

    /** The buyer's payment (for the hosted page); another buyer's is 404. */
    async ofBuyer(buyerId: string, id: string) {
      const payment = await repo.findPayment(db, id);
      if (!payment || payment.buyerId !== buyerId) throw notFound('Payment');
      return payment;
    },

    /** Closes a pending payment (its orders were cancelled or timed out); the provider hears after commit. */
    async close(tx: Executor, payment: repo.PaymentRow, actor: Actor, reason: string, effects: PaymentEffects) {
      const at = clock.now();
      await transition(tx, paymentMachine, {
        objectId: payment.id,
        from: payment.state,
        event: 'close',
        actor,
        at,
        related: [{ type: 'order_group', id: payment.groupId, qualifier: 'pays_for' }],
        data: { reason },
        update: (to) => repo.movePayment(tx, payment.id, payment.state, to, { updatedAt: at }),
      });
      effects.close.push(payment.id);
    },

    /**
     * The payment's move to succeeded, planned for the statement that also marks its orders paid
     * (`sendMoves`, via the orders lifecycle's `markPaid`).
     */
    succeeding(payment: repo.PaymentRow, notification: ProviderNotification): PlannedMoves {
      const at = clock.now();
      return planMoves(paymentMachine, [
        {
          objectId: payment.id,
          from: payment.state,
          steps: [{ event: 'succeed', actor: providerActor, at, data: { amount: payment.amount, transactionId: notification.transactionId } }],
          related: [{ type: 'order_group', id: payment.groupId, qualifier: 'pays_for' }, ...payment.orderIds.map((id) => ({ type: 'order', id, qualifier: 'pays_for' }))],
          update: (to) => repo.movePayment(db, payment.id, payment.state, to, { providerTxnId: notification.transactionId, succeededAt: notification.occurredAt, updatedAt: at }),
        },
      ]);
    },

    async fail(tx: Executor, payment: repo.PaymentRow, notification: ProviderNotification) {
      const at = clock.now();
      await transition(tx, paymentMachine, {
        objectId: payment.id,
        from: payment.state,
        event: 'fail',
        actor: providerActor,
        at,
        related: [{ type: 'order_group', id: payment.groupId, qualifier: 'pays_for' }],
        data: { reason: notification.failureReason ?? 'failed' },
        update: (to) => repo.movePayment(tx, payment.id, payment.state, to, { failureReason: notification.failureReason ?? 'failed', updatedAt: at }),
      });
    },

    /**
     * Money arrived for a payment that is no longer pending (closed or failed): keep the transaction
     * id (so a replay finds it) and refund every order's share through the provider.
     */
    async refundLateSuccess(tx: Executor, payment: repo.PaymentRow, notification: ProviderNotification, effects: PaymentEffects) {
      const at = clock.now();
      await repo.updatePayment(tx, payment.id, { providerTxnId: notification.transactionId, updatedAt: at });
      await appendFlowEvent(tx, {
        type: 'payment.late_success',
        objectType: 'payment',
        objectId: payment.id,
        actor: providerActor,
        occurredAt: at,
        related: [{ type: 'order_group', id: payment.groupId, qualifier: 'pays_for' }],
        data: { state: payment.state, transactionId: notification.transactionId, amount: notification.amount },
      });
      const withTxn = { ...payment, providerTxnId: notification.transactionId };
      for (const [i, orderId] of payment.orderIds.entries()) {
        await createRefund(tx, { payment: withTxn, orderId, amount: payment.orderAmounts[i]!, reason: 'paid_after_close', actor: providerActor }, effects);
      }
    },

    /** A refund of one order's money (in the caller's transaction); the provider is asked after commit. */
    async refundOrder(tx: Executor, input: { paymentId: string; orderId: string; amount: number; reason: string; actor: Actor }, effects: PaymentEffects) {
      const payment = await repo.findPayment(tx, input.paymentId);
      if (!payment || payment.state !== 'succeeded') throw conflict('payment_not_succeeded', 'This order has no successful payment to refund');
      return createRefund(tx, { payment, orderId: input.orderId, amount: input.amount, reason: input.reason, actor: input.actor }, effects);
    },

    /** Runs what the committed transaction decided: close trades, send refunds. Failures are retried later. */
    async flush(effects: PaymentEffects) {
      for (const id of effects.close) {
        await provider.close(id).catch((err: unknown) => deps.log?.error({ err, payment: id }, 'closing the trade at the provider failed'));
      }
      for (const id of effects.refunds) {
        await processRefund(id).catch((err: unknown) => deps.log?.error({ err, refund: id }, 'refund attempt failed'));
      }
    },

    processRefund,

    /** Scheduler: retries pending refunds that are due. */
    async sweepRefunds(now: Date): Promise<number> {
      let done = 0;
      for (const id of await repo.dueRefunds(db, now, 20)) if (await processRefund(id)) done += 1;
      return done;
    },

    /**
     * A provider notification: verified (a forged one is 400 and changes nothing), logged, then
     * settled by the settlement flow. Amount and currency must match the payment.
     */
    async receiveNotification(headers: Record<string, string | string[] | undefined>, rawBody: string) {
      const receivedAt = clock.now();
      const log = (verified: boolean, outcome: string, n?: ProviderNotification) =>
        repo.logNotification(db, { id: newId('paymentNotification'), provider: provider.name, paymentId: n?.paymentId ?? null, providerTxnId: n?.transactionId ?? null, verified, outcome, body: rawBody.slice(0, 4000), receivedAt });
      let notification: ProviderNotification;
      try {
        notification = provider.verifyNotification(headers, rawBody);
      } catch (err) {
        await log(false, (err as AppError).code ?? 'invalid');
        throw err;
      }
      try {
        const outcome = await deps.settle()(notification);
        await log(true, outcome, notification);
        return outcome;
      } catch (err) {
        await log(true, (err as AppError).code ?? 'error', notification);
        throw err;
      }
    },

    /** For the settlement flow: refuses a notification whose amount or currency differs from the payment. */
    assertAmount(payment: repo.PaymentRow, notification: ProviderNotification) {
      if (notification.amount !== payment.amount || notification.currency !== payment.currency) {
        throw unprocessable('amount_mismatch', 'The notified amount or currency differs from the payment', {
          expected: { amount: payment.amount, currency: payment.currency },
          notified: { amount: notification.amount, currency: notification.currency },
        });
      }
    },
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
